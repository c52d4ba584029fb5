"""Arabic translations of the demo guide content (see `demo_translations`). Formal address in
the plural (أنتم); times and numbers in Western digits, as on German signs and letters."""

AR: dict[str, str] = {
    # First steps
    "step.registration.title": "تسجيل السكن",
    "step.registration.text":
        "يُرجى تسجيل مسكنكم لدى مكتب خدمة المواطنين (Bürgerbüro) في مدينتكم أو بلديتكم. يُرجى إحضار "
        "جواز السفر وتأكيد المؤجِّر (Wohnungsgeberbestätigung).",
    "step.tax-id.title": "رقم التعريف الضريبي (Steuer-ID)",
    "step.tax-id.text":
        "بعد التسجيل يرسل إليكم المكتب الاتحادي المركزي للضرائب (Bundeszentralamt für Steuern) رقمكم "
        "الضريبي بالبريد. تحتاجون إليه من أجل العمل.",
    "step.tax-id.outside_office": "المكتب الاتحادي المركزي للضرائب (Bundeszentralamt für Steuern)",
    "step.health-insurance.title": "التأمين الصحي",
    "step.health-insurance.text":
        "يُرجى اختيار صندوق تأمين صحي قانوني (gesetzliche Krankenkasse). يسري التأمين اعتبارًا من اليوم "
        "الأول.",
    "step.health-insurance.outside_office": "صندوق تأمين صحي قانوني من اختياركم (gesetzliche Krankenkasse)",
    "step.health-card.title": "البطاقة الصحية (Gesundheitskarte)",
    "step.health-card.text":
        "يعطيكم مكتب الشؤون الاجتماعية (Sozialamt) بطاقة صحية (Gesundheitskarte) أو قسيمة علاج "
        "(Behandlungsschein).",
    "step.bank-account.title": "الحساب المصرفي",
    "step.bank-account.text":
        "يُرجى فتح حساب لدى بنك أو لدى مصرف ادخار (Sparkasse). يحق لكل شخص الحصول على حساب أساسي "
        "(Basiskonto).",
    "step.bank-account.outside_office": "بنك أو مصرف ادخار (Sparkasse)",
    "step.benefits-sgb2.title": "طلب دخل المواطن (Bürgergeld)",
    "step.benefits-sgb2.text":
        "يُرجى تقديم طلب دخل المواطن (Bürgergeld) لدى مركز العمل (Jobcenter). لا يُصرف المال إلا ابتداءً "
        "من شهر تقديم الطلب.",
    "step.benefits-asylblg.title": "طلب الإعانات",
    "step.benefits-asylblg.text":
        "يدفع مكتب الشؤون الاجتماعية (Sozialamt) في مدينتكم أو بلديتكم الإعانات وفق قانون إعانات طالبي "
        "اللجوء (Asylbewerberleistungsgesetz).",
    "step.residence-permit.title": "تصريح الإقامة (Aufenthaltstitel)",
    "step.residence-permit.text":
        "تُصدر دائرة الأجانب (Ausländerbehörde) وثيقة إقامتكم وتمدّدها. يُرجى تقديم طلب التمديد في وقت "
        "مبكر قبل انتهاء صلاحيتها.",
    "step.integration-course.title": "دورة الاندماج (Integrationskurs)",
    "step.integration-course.text":
        "بعد حصولكم على الأحقية من دائرة الأجانب (Ausländerbehörde) يُرجى التسجيل لدى جهة تقدّم الدورة. "
        "تنتهي صلاحية الأحقية بعد سنة واحدة.",
    "step.language-course-counselling.title": "دورة اللغة الألمانية",
    "step.language-course-counselling.text":
        "تساعدكم الاستشارة الترحيبية (Willkommensberatung) في العثور على دورة لغة ألمانية مناسبة.",
    "step.recognition.title": "الاعتراف بالمؤهل المهني",
    "step.recognition.text": "يُرجى طلب الاستشارة لمعرفة الجهة التي تعترف بمؤهلكم.",
    "step.school-childcare.title": "المدرسة وروضة الأطفال (Kita)",
    "step.school-childcare.text":
        "يجب على الأطفال الذهاب إلى المدرسة. يقدّم مركز الاندماج (Integrationszentrum) الاستشارة بشأن "
        "المدرسة، ويقدّم مكتب رعاية الشباب (Jugendamt) الاستشارة بشأن روضة الأطفال (Kita).",
    "step.broadcasting-fee.title": "رسوم البث الإذاعي والتلفزيوني (Rundfunkbeitrag)",
    "step.broadcasting-fee.text":
        "من لديه مسكن خاص به يسجّله لدى خدمة الرسوم (Beitragsservice). ومن يحصل على دخل المواطن "
        "(Bürgergeld) أو على إعانات وفق قانون إعانات طالبي اللجوء (AsylbLG) يمكنه طلب الإعفاء.",
    "step.broadcasting-fee.outside_office": "ARD ZDF Deutschlandradio Beitragsservice",
    "step.child-benefit.title": "إعانة الأطفال (Kindergeld)",
    "step.child-benefit.text":
        "يمكنكم تقديم طلب إعانة الأطفال (Kindergeld) لأطفالكم لدى صندوق الأسرة (Familienkasse).",
    "step.child-benefit.outside_office": "صندوق الأسرة (Familienkasse)",
    # Text pages
    "text.welcome.title": "مرحبًا بكم في منطقة دورن (Kreis Düren)",
    "text.welcome.body":
        "أهلًا وسهلًا بكم في منطقة دورن! يوضّح لكم هذا الدليل الجهة المختصة بأسئلتكم. اختاروا مدينتكم أو "
        "بلديتكم ووضعكم. بعد ذلك تظهر لكم خطواتكم الأولى والدوائر ومراكز الاستشارة المناسبة. في كل مدينة "
        "وبلدية تساعدكم الاستشارة الترحيبية (Willkommensberatung) مجانًا.",
    "text.welcome-counselling.title": "الاستشارة الترحيبية (Willkommensberatung)",
    "text.welcome-counselling.body":
        "توجد استشارة ترحيبية في جميع المدن والبلديات الخمس عشرة في منطقة دورن. تقدّمها جمعيات الرعاية "
        "الاجتماعية: Caritas و Diakonie و AWO و DRK و Der Paritätische. لكل مدينة وبلدية شخص ثابت "
        "للتواصل. الاستشارة مجانية ومتاحة للجميع، أيًّا كان وضع الإقامة. وهي تساعد في تقديم الطلبات، "
        "وترافقكم إلى المواعيد، وتدلّكم على مراكز استشارة أخرى.",
    "text.documents.title": "وثائق مهمة",
    "text.documents.body":
        "احملوا جواز سفركم أو تصريح إقامتكم (Aufenthaltstitel) معكم دائمًا. أحضروا وثائقكم إلى كل موعد "
        "لدى الدوائر الرسمية: جواز السفر وتصريح الإقامة وشهادة تسجيل السكن (Meldebescheinigung) والرسائل "
        "الواردة من الدائرة. احتفظوا بنسخ أو صور من جميع الأوراق المهمة. افتحوا رسائل الدوائر الرسمية "
        "فورًا، فغالبًا ما تكون هناك مهلة محددة. إذا لم تفهموا رسالة ما، فإن الاستشارة الترحيبية "
        "(Willkommensberatung) تساعدكم.",
    "text.emergency.title": "في حالات الطوارئ",
    "text.emergency.body":
        "الشرطة: 110. الإطفاء والإسعاف: 112. الاتصال بأرقام الطوارئ 110 و 112 مجاني. خدمة الطبيب المناوب "
        "(ärztlicher Bereitschaftsdienst) عندما تكون العيادة مغلقة: 116 117. هاتف المساعدة في حالات "
        "العنف ضد المرأة (Hilfetelefon Gewalt gegen Frauen)، على مدار الساعة وبلغات كثيرة: 116 016.",
    # Offices
    "office.abh.description":
        "دائرة الأجانب (Ausländerbehörde) في منطقة دورن هي المختصة بإقامتكم. تُصدر تصاريح الإقامة "
        "وتمدّدها، وتمنح الأحقية في دورة الاندماج.",
    "office.abh-juelich.description":
        "فرع دائرة الأجانب (Ausländerbehörde) في Jülich مختص بسكان {places}. يُصدر تصاريح الإقامة "
        "ويمدّدها.",
    "office.jobcom.description":
        "job-com هو مركز العمل (Jobcenter) في منطقة دورن. يدفع دخل المواطن (Bürgergeld) ويساعد في "
        "البحث عن عمل وتدريب مهني ودورات لغة.",
    "office.jobcom-juelich.description":
        "مكتب job-com (Jobcenter) في Jülich مختص بسكان {places}. يدفع دخل المواطن (Bürgergeld) ويساعد "
        "في البحث عن عمل.",
    "office.ki.description":
        "يقدّم مركز الاندماج البلدي (Kommunales Integrationszentrum) الاستشارة للعائلات القادمة حديثًا "
        "بشأن المدرسة والتعليم والاعتراف بالمؤهلات المهنية. كما ينسّق الاستشارة الترحيبية في المنطقة.",
    "office.welcome.description":
        "مركز الترحيب (Welcome Center) هو نقطة الاتصال الأولى للكفاءات المهنية الدولية والطلاب وأصحاب "
        "العمل. يساعد في مسائل الإقامة والاعتراف بالمؤهلات والبحث عن عمل وعن سكن.",
    "office.einbuergerung.description":
        "تقدّم دائرة التجنيس (Einbürgerungsbehörde) الاستشارة حول متى وكيف يمكنكم الحصول على الجنسية "
        "الألمانية. وهنا تقدّمون طلب التجنيس.",
    "office.welfare.description":
        "الاستشارة الترحيبية (Willkommensberatung) لسكان {places}: يساعدكم شخص ثابت للتواصل في خطواتكم "
        "الأولى، أيًّا كان وضع إقامتكم. الاستشارة مجانية.",
    "office.mbe.description":
        "ترافق استشارة الهجرة للبالغين (Migrationsberatung für Erwachsene, MBE) المهاجرين من سن 27 "
        "عامًا فما فوق في سنواتهم الأولى: في مسائل الإقامة ودورات اللغة والعمل والسكن.",
    "office.jmd.description":
        "ترافق خدمة هجرة الشباب (Jugendmigrationsdienst, JMD) الشباب من سن 12 إلى 27 عامًا في المدرسة "
        "والتدريب المهني والعمل.",
    "office.psych.description":
        "تساعد الاستشارة النفسية الاجتماعية (Psychosoziale Beratung) اللاجئين في الأزمات وبعد التجارب "
        "الصعبة، وتحيلهم إلى العلاج. الخدمة متاحة لسكان {places}.",
    "office.sozialamt.description":
        "يدفع مكتب الشؤون الاجتماعية (Sozialamt) في {place} الإعانات وفق قانون إعانات طالبي اللجوء "
        "(Asylbewerberleistungsgesetz)، ويُصدر البطاقة الصحية (Gesundheitskarte) أو قسيمة العلاج "
        "(Behandlungsschein). وهو مختص أيضًا بالإيواء.",
    "office.buergerbuero.description":
        "في مكتب خدمة المواطنين (Bürgerbüro) في {place} تسجّلون مسكنكم وتحصلون على شهادة تسجيل السكن "
        "(Meldebescheinigung). يُرجى التسجيل خلال أسبوعين من الانتقال إلى المسكن.",
    # Opening hours
    "hours.abh": "من الاثنين إلى الجمعة 8:00–12:00؛ الاثنين والثلاثاء والخميس أيضًا 13:30–15:30. يُرجى "
                 "حجز موعد مسبقًا.",
    "hours.abh-juelich": "الثلاثاء والخميس 8:30–12:00؛ الخميس أيضًا 13:30–16:00. يُرجى حجز موعد مسبقًا.",
    "hours.jobcom": "من الاثنين إلى الجمعة 8:00–12:30، الخميس أيضًا 14:00–17:00",
    "hours.jobcom-juelich": "من الاثنين إلى الجمعة 8:00–12:30",
    "hours.kreishaus": "من الاثنين إلى الخميس 8:00–16:00، الجمعة 8:00–13:00",
    "hours.welcome": "من الاثنين إلى الخميس 8:00–16:00، الجمعة 8:00–13:00؛ الاستشارة ممكنة مساءً أيضًا "
                     "بموعد مسبق",
    "hours.buergerbuero-dueren": "من الاثنين إلى الجمعة 7:30–12:30، الخميس أيضًا 14:00–18:00؛ السبت "
                                 "9:00–12:00 بموعد مسبق فقط",
    "hours.buergerbuero-juelich": "من الاثنين إلى الجمعة 8:00–12:00، الثلاثاء 14:00–16:00، الخميس "
                                  "14:00–18:00",
    "hours.town-a": "من الاثنين إلى الجمعة 8:00–12:00، الخميس أيضًا 14:00–17:30",
    "hours.town-b": "الاثنين والثلاثاء والخميس والجمعة 8:00–12:00، الأربعاء 14:00–18:00",
    "hours.social-a": "من الاثنين إلى الجمعة 8:30–12:00، الخميس أيضًا 14:00–16:00",
    "hours.social-b": "الاثنين والثلاثاء والخميس 8:00–12:00، وبموعد مسبق",
    "hours.association": "من الاثنين إلى الخميس 9:00–16:00، الجمعة 9:00–12:00، وبموعد مسبق",
    "hours.counselling": "المواعيد بالاتفاق؛ ساعة استشارة مفتوحة يوم الثلاثاء 10:00–12:00",
    # Welcome counsellors' office hours
    "counsellor.awo.office_hours":
        "الثلاثاء 9:00–12:00 في دار بلدية Jülich (Rathaus)، الأربعاء 14:00–16:00 في دار بلدية Linnich، "
        "الخميس 9:00–11:00 في دار بلدية Titz؛ وفي غير ذلك بموعد مسبق.",
    "counsellor.caritas.office_hours":
        "الاثنين 9:00–12:00 في دار بلدية Aldenhoven (Rathaus)، الأربعاء 9:00–12:00 في دار بلدية "
        "Niederzier، الخميس 14:00–16:00 في دار بلدية Inden؛ وفي غير ذلك بموعد مسبق.",
    "counsellor.paritaet.office_hours":
        "من الاثنين إلى الخميس 9:00–12:00 في مكتب Der Paritätische، Friedrichstraße 27؛ الثلاثاء أيضًا "
        "14:00–17:00 ساعة استشارة مفتوحة؛ وفي غير ذلك بموعد مسبق.",
    "counsellor.diakonie.office_hours":
        "الاثنين 9:00–12:00 في دار بلدية Kreuzau (Rathaus)، الثلاثاء 9:00–11:00 في دار بلدية Nideggen، "
        "الأربعاء 14:00–16:00 في دار بلدية Hürtgenwald، الخميس 9:00–11:00 في دار بلدية Heimbach؛ وفي غير "
        "ذلك بموعد مسبق.",
    "counsellor.drk.office_hours":
        "الاثنين 14:00–16:00 في دار بلدية Langerwehe (Rathaus)، الثلاثاء 9:00–12:00 في دار بلدية "
        "Merzenich، الأربعاء 9:00–11:00 في دار بلدية Nörvenich، الخميس 9:00–11:00 في دار بلدية Vettweiß؛ "
        "وفي غير ذلك بموعد مسبق.",
}
