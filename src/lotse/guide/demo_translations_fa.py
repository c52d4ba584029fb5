"""Farsi translations of the demo guide content (see `demo_translations`). Formal address
(شما, plural verbs); times and numbers in Western digits, as on German signs and letters.
Missing on purpose: the emergency page."""

FA: dict[str, str] = {
    # First steps
    "step.registration.title": "ثبت محل سکونت",
    "step.registration.text":
        "محل سکونت خود را در دفتر خدمات شهروندی (Bürgerbüro) شهر یا شهرداری خود ثبت کنید. گذرنامه و "
        "تأییدیهٔ صاحب‌خانه (Wohnungsgeberbestätigung) را همراه داشته باشید.",
    "step.tax-id.title": "شمارهٔ شناسایی مالیاتی (Steuer-ID)",
    "step.tax-id.text":
        "پس از ثبت محل سکونت، ادارهٔ مرکزی فدرال مالیات (Bundeszentralamt für Steuern) شمارهٔ مالیاتی "
        "شما را با پست برایتان می‌فرستد. برای کار به آن نیاز دارید.",
    "step.tax-id.outside_office": "ادارهٔ مرکزی فدرال مالیات (Bundeszentralamt für Steuern)",
    "step.health-insurance.title": "بیمهٔ درمانی",
    "step.health-insurance.text":
        "یک صندوق بیمهٔ درمانی قانونی (gesetzliche Krankenkasse) انتخاب کنید. بیمه از روز اول معتبر است.",
    "step.health-insurance.outside_office": "صندوق بیمهٔ درمانی قانونی به انتخاب شما (gesetzliche Krankenkasse)",
    "step.health-card.title": "کارت سلامت (Gesundheitskarte)",
    "step.health-card.text":
        "ادارهٔ امور اجتماعی (Sozialamt) به شما یک کارت سلامت (Gesundheitskarte) یا برگهٔ درمان "
        "(Behandlungsschein) می‌دهد.",
    "step.bank-account.title": "حساب بانکی",
    "step.bank-account.text":
        "در یک بانک یا صندوق پس‌انداز (Sparkasse) حساب باز کنید. هر فردی حق داشتن یک حساب پایه "
        "(Basiskonto) را دارد.",
    "step.bank-account.outside_office": "بانک یا صندوق پس‌انداز (Sparkasse)",
    "step.benefits-sgb2.title": "درخواست درآمد شهروندی (Bürgergeld)",
    "step.benefits-sgb2.text":
        "درآمد شهروندی (Bürgergeld) را از مرکز کاریابی (Jobcenter) درخواست کنید. پول فقط از ماهی که "
        "درخواست داده‌اید پرداخت می‌شود.",
    "step.benefits-asylblg.title": "درخواست کمک‌هزینه",
    "step.benefits-asylblg.text":
        "ادارهٔ امور اجتماعی (Sozialamt) شهر یا شهرداری شما کمک‌هزینه‌ها را طبق قانون کمک‌هزینهٔ "
        "پناه‌جویان (Asylbewerberleistungsgesetz) پرداخت می‌کند.",
    "step.residence-permit.title": "اجازهٔ اقامت (Aufenthaltstitel)",
    "step.residence-permit.text":
        "ادارهٔ اتباع خارجی (Ausländerbehörde) مدرک اقامت شما را صادر و تمدید می‌کند. درخواست تمدید را "
        "به‌موقع و پیش از پایان اعتبار آن ارائه دهید.",
    "step.integration-course.title": "دورهٔ ادغام (Integrationskurs)",
    "step.integration-course.text":
        "با مجوز شرکتی که از ادارهٔ اتباع خارجی (Ausländerbehörde) دریافت کرده‌اید، نزد یک مؤسسهٔ "
        "برگزارکنندهٔ دوره ثبت‌نام کنید. این مجوز پس از یک سال باطل می‌شود.",
    "step.language-course-counselling.title": "کلاس زبان آلمانی",
    "step.language-course-counselling.text":
        "مشاورهٔ خوشامدگویی (Willkommensberatung) به شما کمک می‌کند یک کلاس زبان آلمانی مناسب پیدا کنید.",
    "step.recognition.title": "به رسمیت شناختن مدرک حرفه‌ای",
    "step.recognition.text": "مشاوره بگیرید که کدام اداره مدرک شما را به رسمیت می‌شناسد.",
    "step.school-childcare.title": "مدرسه و مهدکودک (Kita)",
    "step.school-childcare.text":
        "رفتن به مدرسه برای کودکان اجباری است. مرکز ادغام (Integrationszentrum) دربارهٔ مدرسه و ادارهٔ "
        "امور جوانان (Jugendamt) دربارهٔ مهدکودک (Kita) مشاوره می‌دهد.",
    "step.broadcasting-fee.title": "عوارض رادیو و تلویزیون (Rundfunkbeitrag)",
    "step.broadcasting-fee.text":
        "هر کس خانهٔ مستقل دارد، آن را نزد سرویس عوارض (Beitragsservice) ثبت می‌کند. کسانی که درآمد "
        "شهروندی (Bürgergeld) یا کمک‌هزینه طبق AsylbLG دریافت می‌کنند، می‌توانند درخواست معافیت بدهند.",
    "step.broadcasting-fee.outside_office": "ARD ZDF Deutschlandradio Beitragsservice",
    "step.child-benefit.title": "کمک‌هزینهٔ فرزند (Kindergeld)",
    "step.child-benefit.text":
        "می‌توانید کمک‌هزینهٔ فرزند (Kindergeld) را برای فرزندانتان از صندوق خانواده (Familienkasse) "
        "درخواست کنید.",
    "step.child-benefit.outside_office": "صندوق خانواده (Familienkasse)",
    # Text pages
    "text.welcome.title": "به منطقهٔ دورن خوش آمدید (Kreis Düren)",
    "text.welcome.body":
        "به منطقهٔ دورن خوش آمدید! این راهنما به شما نشان می‌دهد کدام اداره مسئول پرسش‌های شماست. شهر "
        "یا شهرداری و وضعیت خود را انتخاب کنید. سپس نخستین گام‌های خود و اداره‌ها و مراکز مشاورهٔ "
        "مناسب را می‌بینید. در هر شهر و شهرداری، مشاورهٔ خوشامدگویی (Willkommensberatung) به‌رایگان به "
        "شما کمک می‌کند.",
    "text.welcome-counselling.title": "مشاورهٔ خوشامدگویی (Willkommensberatung)",
    "text.welcome-counselling.body":
        "در همهٔ 15 شهر و شهرداری منطقهٔ دورن مشاورهٔ خوشامدگویی وجود دارد. این مشاوره را انجمن‌های "
        "رفاه اجتماعی ارائه می‌دهند: Caritas، Diakonie، AWO، DRK و Der Paritätische. برای هر محل یک "
        "فرد ثابت برای تماس وجود دارد. مشاوره رایگان است و برای همه، با هر وضعیت اقامتی، در دسترس است. "
        "این مشاوره در درخواست‌ها کمک می‌کند، شما را در قرارهای ملاقات همراهی می‌کند و مراکز مشاورهٔ "
        "دیگر را به شما معرفی می‌کند.",
    "text.documents.title": "مدارک مهم",
    "text.documents.body":
        "گذرنامه یا اجازهٔ اقامت (Aufenthaltstitel) خود را همیشه همراه داشته باشید. مدارک خود را به هر "
        "قرار ملاقات در اداره بیاورید: گذرنامه، اجازهٔ اقامت، گواهی ثبت محل سکونت (Meldebescheinigung) و "
        "نامه‌های اداره. از همهٔ مدارک مهم کپی یا عکس تهیه کنید. نامه‌های اداری را فوراً باز کنید، زیرا "
        "اغلب مهلتی وجود دارد. اگر نامه‌ای را نمی‌فهمید، مشاورهٔ خوشامدگویی (Willkommensberatung) به شما "
        "کمک می‌کند.",
    # Offices
    "office.abh.description":
        "ادارهٔ اتباع خارجی (Ausländerbehörde) منطقهٔ دورن مسئول امور اقامت شماست. این اداره اجازهٔ "
        "اقامت صادر و تمدید می‌کند و مجوز شرکت در دورهٔ ادغام را می‌دهد.",
    "office.abh-juelich.description":
        "شعبهٔ ادارهٔ اتباع خارجی (Ausländerbehörde) در Jülich مسئول ساکنان این مکان‌هاست: {places}. این "
        "شعبه اجازهٔ اقامت صادر و تمدید می‌کند.",
    "office.jobcom.description":
        "job-com مرکز کاریابی (Jobcenter) منطقهٔ دورن است. این مرکز درآمد شهروندی (Bürgergeld) پرداخت "
        "می‌کند و در یافتن کار، آموزش حرفه‌ای و کلاس زبان کمک می‌کند.",
    "office.jobcom-juelich.description":
        "شعبهٔ job-com (Jobcenter) در Jülich مسئول ساکنان این مکان‌هاست: {places}. این شعبه درآمد "
        "شهروندی (Bürgergeld) پرداخت می‌کند و در یافتن کار کمک می‌کند.",
    "office.ki.description":
        "مرکز ادغام شهری (Kommunales Integrationszentrum) به خانواده‌های تازه‌وارد دربارهٔ مدرسه و "
        "آموزش و به رسمیت شناختن مدارک حرفه‌ای مشاوره می‌دهد. این مرکز مشاورهٔ خوشامدگویی در منطقه را "
        "نیز هماهنگ می‌کند.",
    "office.welcome.description":
        "Welcome Center نخستین مرجع برای نیروهای متخصص بین‌المللی، دانشجویان و کارفرمایان آن‌هاست. این "
        "مرکز در امور اقامت، به رسمیت شناختن مدارک، کاریابی و یافتن مسکن کمک می‌کند.",
    "office.einbuergerung.description":
        "ادارهٔ تابعیت (Einbürgerungsbehörde) به شما مشاوره می‌دهد که چه زمانی و چگونه می‌توانید تابعیت "
        "آلمان را به دست آورید. درخواست تابعیت را در این اداره ارائه می‌دهید.",
    "office.welfare.description":
        "مشاورهٔ خوشامدگویی (Willkommensberatung) برای ساکنان این مکان‌ها: {places}. یک فرد ثابت برای "
        "تماس، با هر وضعیت اقامتی، در نخستین گام‌ها به شما کمک می‌کند. مشاوره رایگان است.",
    "office.mbe.description":
        "مشاورهٔ مهاجرت برای بزرگسالان (Migrationsberatung für Erwachsene, MBE) مهاجران 27 سال به بالا "
        "را در سال‌های نخست در امور اقامت، کلاس زبان، کار و مسکن همراهی می‌کند.",
    "office.jmd.description":
        "خدمات مهاجرت جوانان (Jugendmigrationsdienst, JMD) جوانان 12 تا 27 ساله را در مدرسه، آموزش "
        "حرفه‌ای و کار همراهی می‌کند.",
    "office.psych.description":
        "مشاورهٔ روانی‌اجتماعی (Psychosoziale Beratung) به پناهندگان در بحران‌ها و پس از تجربه‌های سخت "
        "کمک می‌کند و آنان را به درمان ارجاع می‌دهد. این خدمت برای ساکنان این مکان‌هاست: {places}.",
    "office.sozialamt.description":
        "ادارهٔ امور اجتماعی (Sozialamt) در {place} کمک‌هزینه‌ها را طبق قانون کمک‌هزینهٔ پناه‌جویان "
        "(Asylbewerberleistungsgesetz) پرداخت می‌کند و کارت سلامت (Gesundheitskarte) یا برگهٔ درمان "
        "(Behandlungsschein) صادر می‌کند. این اداره مسئول اسکان نیز هست.",
    "office.buergerbuero.description":
        "در دفتر خدمات شهروندی (Bürgerbüro) در {place} محل سکونت خود را ثبت می‌کنید و گواهی ثبت محل "
        "سکونت (Meldebescheinigung) را دریافت می‌کنید. لطفاً ظرف دو هفته پس از نقل مکان ثبت‌نام کنید.",
    # Opening hours
    "hours.abh": "دوشنبه تا جمعه 8:00–12:00؛ دوشنبه، سه‌شنبه و پنجشنبه همچنین 13:30–15:30. لطفاً از "
                 "قبل وقت ملاقات بگیرید.",
    "hours.abh-juelich": "سه‌شنبه و پنجشنبه 8:30–12:00؛ پنجشنبه همچنین 13:30–16:00. لطفاً از قبل وقت "
                         "ملاقات بگیرید.",
    "hours.jobcom": "دوشنبه تا جمعه 8:00–12:30، پنجشنبه همچنین 14:00–17:00",
    "hours.jobcom-juelich": "دوشنبه تا جمعه 8:00–12:30",
    "hours.kreishaus": "دوشنبه تا پنجشنبه 8:00–16:00، جمعه 8:00–13:00",
    "hours.welcome": "دوشنبه تا پنجشنبه 8:00–16:00، جمعه 8:00–13:00؛ مشاوره در عصرها نیز با وقت قبلی",
    "hours.buergerbuero-dueren": "دوشنبه تا جمعه 7:30–12:30، پنجشنبه همچنین 14:00–18:00؛ شنبه "
                                 "9:00–12:00 فقط با وقت قبلی",
    "hours.buergerbuero-juelich": "دوشنبه تا جمعه 8:00–12:00، سه‌شنبه 14:00–16:00، پنجشنبه 14:00–18:00",
    "hours.town-a": "دوشنبه تا جمعه 8:00–12:00، پنجشنبه همچنین 14:00–17:30",
    "hours.town-b": "دوشنبه، سه‌شنبه، پنجشنبه و جمعه 8:00–12:00، چهارشنبه 14:00–18:00",
    "hours.social-a": "دوشنبه تا جمعه 8:30–12:00، پنجشنبه همچنین 14:00–16:00",
    "hours.social-b": "دوشنبه، سه‌شنبه و پنجشنبه 8:00–12:00 و با وقت قبلی",
    "hours.association": "دوشنبه تا پنجشنبه 9:00–16:00، جمعه 9:00–12:00 و با وقت قبلی",
    "hours.counselling": "وقت ملاقات با هماهنگی قبلی؛ ساعت مشاورهٔ آزاد سه‌شنبه 10:00–12:00",
    # Welcome counsellors' office hours
    "counsellor.awo.office_hours":
        "سه‌شنبه 9:00–12:00 در ساختمان شهرداری (Rathaus) Jülich، چهارشنبه 14:00–16:00 در ساختمان "
        "شهرداری Linnich، پنجشنبه 9:00–11:00 در ساختمان شهرداری Titz؛ در سایر اوقات با وقت قبلی.",
    "counsellor.caritas.office_hours":
        "دوشنبه 9:00–12:00 در ساختمان شهرداری (Rathaus) Aldenhoven، چهارشنبه 9:00–12:00 در ساختمان "
        "شهرداری Niederzier، پنجشنبه 14:00–16:00 در ساختمان شهرداری Inden؛ در سایر اوقات با وقت قبلی.",
    "counsellor.paritaet.office_hours":
        "دوشنبه تا پنجشنبه 9:00–12:00 در دفتر Der Paritätische، Friedrichstraße 27؛ سه‌شنبه همچنین "
        "14:00–17:00 ساعت مشاورهٔ آزاد؛ در سایر اوقات با وقت قبلی.",
    "counsellor.diakonie.office_hours":
        "دوشنبه 9:00–12:00 در ساختمان شهرداری (Rathaus) Kreuzau، سه‌شنبه 9:00–11:00 در ساختمان شهرداری "
        "Nideggen، چهارشنبه 14:00–16:00 در ساختمان شهرداری Hürtgenwald، پنجشنبه 9:00–11:00 در ساختمان "
        "شهرداری Heimbach؛ در سایر اوقات با وقت قبلی.",
    "counsellor.drk.office_hours":
        "دوشنبه 14:00–16:00 در ساختمان شهرداری (Rathaus) Langerwehe، سه‌شنبه 9:00–12:00 در ساختمان "
        "شهرداری Merzenich، چهارشنبه 9:00–11:00 در ساختمان شهرداری Nörvenich، پنجشنبه 9:00–11:00 در "
        "ساختمان شهرداری Vettweiß؛ در سایر اوقات با وقت قبلی.",
}
