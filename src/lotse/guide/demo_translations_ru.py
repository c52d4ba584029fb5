"""Russian translations of the demo guide content (see `demo_translations`). Formal address
(Вы, Вам, Ваш, capitalised). Missing on purpose: the emergency page and the Welcome Center's
current opening hours (`hours.welcome`)."""

RU: dict[str, str] = {
    # First steps
    "step.registration.title": "Зарегистрировать место жительства",
    "step.registration.text":
        "Зарегистрируйте своё жильё в бюро по обслуживанию граждан (Bürgerbüro) Вашего города или "
        "общины. Возьмите с собой паспорт и подтверждение от арендодателя (Wohnungsgeberbestätigung).",
    "step.tax-id.title": "Налоговый идентификационный номер (Steuer-ID)",
    "step.tax-id.text":
        "После регистрации Федеральное центральное налоговое ведомство (Bundeszentralamt für Steuern) "
        "пришлёт Вам налоговый номер по почте. Он нужен Вам для работы.",
    "step.tax-id.outside_office": "Федеральное центральное налоговое ведомство (Bundeszentralamt für Steuern)",
    "step.health-insurance.title": "Медицинское страхование",
    "step.health-insurance.text":
        "Выберите государственную больничную кассу (gesetzliche Krankenkasse). Страховка действует с "
        "первого дня.",
    "step.health-insurance.outside_office":
        "Государственная больничная касса на Ваш выбор (gesetzliche Krankenkasse)",
    "step.health-card.title": "Медицинская карта (Gesundheitskarte)",
    "step.health-card.text":
        "Социальное ведомство (Sozialamt) выдаст Вам медицинскую карту (Gesundheitskarte) или "
        "направление на лечение (Behandlungsschein).",
    "step.bank-account.title": "Банковский счёт",
    "step.bank-account.text":
        "Откройте счёт в банке или сберегательной кассе (Sparkasse). Каждый человек имеет право на "
        "базовый счёт (Basiskonto).",
    "step.bank-account.outside_office": "Банк или сберегательная касса (Sparkasse)",
    "step.benefits-sgb2.title": "Подать заявление на гражданское пособие (Bürgergeld)",
    "step.benefits-sgb2.text":
        "Подайте заявление на гражданское пособие (Bürgergeld) в центр занятости (Jobcenter). Деньги "
        "выплачиваются только начиная с месяца подачи заявления.",
    "step.benefits-asylblg.title": "Подать заявление на пособие",
    "step.benefits-asylblg.text":
        "Социальное ведомство (Sozialamt) Вашего города или общины выплачивает пособие по Закону о "
        "пособиях для лиц, ищущих убежища (Asylbewerberleistungsgesetz).",
    "step.residence-permit.title": "Вид на жительство (Aufenthaltstitel)",
    "step.residence-permit.text":
        "Ведомство по делам иностранцев (Ausländerbehörde) выдаёт и продлевает Ваш документ на "
        "пребывание. Подайте заявление на продление заблаговременно, до истечения срока действия.",
    "step.integration-course.title": "Интеграционный курс (Integrationskurs)",
    "step.integration-course.text":
        "С правом на участие, выданным ведомством по делам иностранцев (Ausländerbehörde), запишитесь в "
        "организацию, проводящую курсы. Право на участие истекает через год.",
    "step.language-course-counselling.title": "Курс немецкого языка",
    "step.language-course-counselling.text":
        "Консультация для вновь прибывших (Willkommensberatung) поможет Вам найти подходящий курс "
        "немецкого языка.",
    "step.recognition.title": "Признание профессиональной квалификации",
    "step.recognition.text": "Получите консультацию о том, какое учреждение признаёт Ваш диплом.",
    "step.school-childcare.title": "Школа и детский сад (Kita)",
    "step.school-childcare.text":
        "Дети обязаны ходить в школу. Интеграционный центр (Integrationszentrum) консультирует по "
        "вопросам школы, ведомство по делам молодёжи (Jugendamt) — по вопросам детского сада (Kita).",
    "step.broadcasting-fee.title": "Взнос за радиовещание (Rundfunkbeitrag)",
    "step.broadcasting-fee.text":
        "Если у Вас есть собственное жильё, зарегистрируйте его в службе взносов (Beitragsservice). Если "
        "Вы получаете гражданское пособие (Bürgergeld) или пособие по AsylbLG, Вы можете подать заявление "
        "об освобождении от взноса.",
    "step.broadcasting-fee.outside_office": "ARD ZDF Deutschlandradio Beitragsservice",
    "step.child-benefit.title": "Детское пособие (Kindergeld)",
    "step.child-benefit.text":
        "Вы можете подать заявление на детское пособие (Kindergeld) в семейную кассу (Familienkasse).",
    "step.child-benefit.outside_office": "Семейная касса (Familienkasse)",
    # Text pages
    "text.welcome.title": "Добро пожаловать в район Дюрен (Kreis Düren)",
    "text.welcome.body":
        "Сердечно приветствуем Вас в районе Дюрен! Этот путеводитель показывает, какое учреждение "
        "отвечает за Ваши вопросы. Выберите свой город или общину и свою ситуацию. Тогда Вы увидите свои "
        "первые шаги и подходящие учреждения и консультационные службы. В каждом городе и общине Вам "
        "бесплатно поможет консультация для вновь прибывших (Willkommensberatung).",
    "text.welcome-counselling.title": "Консультация для вновь прибывших (Willkommensberatung)",
    "text.welcome-counselling.body":
        "Консультация для вновь прибывших есть во всех 15 городах и общинах района Дюрен. Её предлагают "
        "благотворительные организации: Caritas, Diakonie, AWO, DRK и Der Paritätische. Для каждого "
        "населённого пункта есть постоянное контактное лицо. Консультация бесплатна и открыта для всех, "
        "независимо от статуса пребывания. Она помогает с заявлениями, сопровождает на приёмы и "
        "подсказывает другие консультационные службы.",
    "text.documents.title": "Важные документы",
    "text.documents.body":
        "Всегда имейте при себе паспорт или вид на жительство (Aufenthaltstitel). Приносите документы на "
        "каждый приём в учреждении: паспорт, вид на жительство, справку о регистрации "
        "(Meldebescheinigung) и письма из учреждения. Сделайте копии или фотографии всех важных бумаг. "
        "Открывайте письма из учреждений сразу, потому что часто есть срок. Если Вы не понимаете письмо, "
        "Вам поможет консультация для вновь прибывших (Willkommensberatung).",
    # Offices
    "office.abh.description":
        "Ведомство по делам иностранцев (Ausländerbehörde) района Дюрен отвечает за Ваше пребывание. Оно "
        "выдаёт и продлевает виды на жительство и выдаёт право на участие в интеграционном курсе.",
    "office.abh-juelich.description":
        "Отделение ведомства по делам иностранцев (Ausländerbehörde) в городе Jülich отвечает за жителей "
        "следующих населённых пунктов: {places}. Оно выдаёт и продлевает виды на жительство.",
    "office.jobcom.description":
        "job-com — это центр занятости (Jobcenter) района Дюрен. Он выплачивает гражданское пособие "
        "(Bürgergeld) и помогает в поиске работы, профессионального обучения и языковых курсов.",
    "office.jobcom-juelich.description":
        "Отделение job-com (Jobcenter) в городе Jülich отвечает за жителей следующих населённых пунктов: "
        "{places}. Оно выплачивает гражданское пособие (Bürgergeld) и помогает в поиске работы.",
    "office.ki.description":
        "Коммунальный интеграционный центр (Kommunales Integrationszentrum) консультирует недавно "
        "прибывшие семьи по вопросам школы и образования, а также признания профессиональной "
        "квалификации. Он координирует консультацию для вновь прибывших в районе.",
    "office.welcome.description":
        "Welcome Center — первое место обращения для иностранных квалифицированных специалистов, "
        "студентов и их работодателей. Он помогает в вопросах пребывания, признания квалификации, поиска "
        "работы и жилья.",
    "office.einbuergerung.description":
        "Ведомство по вопросам гражданства (Einbürgerungsbehörde) консультирует, когда и как Вы можете "
        "получить немецкое гражданство. Здесь Вы подаёте заявление о приёме в гражданство.",
    "office.welfare.description":
        "Консультация для вновь прибывших (Willkommensberatung) для жителей следующих населённых "
        "пунктов: {places}. Постоянное контактное лицо поможет Вам с первыми шагами, независимо от "
        "статуса пребывания. Консультация бесплатна.",
    "office.mbe.description":
        "Миграционная консультация для взрослых (Migrationsberatung für Erwachsene, MBE) сопровождает "
        "иммигрантов от 27 лет в первые годы: по вопросам пребывания, языковых курсов, работы и жилья.",
    "office.jmd.description":
        "Молодёжная миграционная служба (Jugendmigrationsdienst, JMD) сопровождает молодых людей от 12 "
        "до 27 лет в школе, профессиональном обучении и работе.",
    "office.psych.description":
        "Психосоциальная консультация (Psychosoziale Beratung) помогает беженцам в кризисных ситуациях и "
        "после тяжёлых переживаний и направляет на терапию. Услуга доступна для жителей следующих "
        "населённых пунктов: {places}.",
    "office.sozialamt.description":
        "Социальное ведомство (Sozialamt) в {place} выплачивает пособие по Закону о пособиях для лиц, "
        "ищущих убежища (Asylbewerberleistungsgesetz), и выдаёт медицинскую карту (Gesundheitskarte) или "
        "направление на лечение (Behandlungsschein). Оно также отвечает за размещение.",
    "office.buergerbuero.description":
        "В бюро по обслуживанию граждан (Bürgerbüro) в {place} Вы регистрируете своё жильё и получаете "
        "справку о регистрации (Meldebescheinigung). Пожалуйста, зарегистрируйтесь в течение двух недель "
        "после въезда.",
    # Opening hours
    "hours.abh": "Пн–Пт 8:00–12:00; Пн, Вт и Чт также 13:30–15:30. Пожалуйста, заранее запишитесь на "
                 "приём.",
    "hours.abh-juelich": "Вт и Чт 8:30–12:00; Чт также 13:30–16:00. Пожалуйста, заранее запишитесь на "
                         "приём.",
    "hours.jobcom": "Пн–Пт 8:00–12:30, Чт также 14:00–17:00",
    "hours.jobcom-juelich": "Пн–Пт 8:00–12:30",
    "hours.kreishaus": "Пн–Чт 8:00–16:00, Пт 8:00–13:00",
    "hours.buergerbuero-dueren": "Пн–Пт 7:30–12:30, Чт также 14:00–18:00; Сб 9:00–12:00 только по записи",
    "hours.buergerbuero-juelich": "Пн–Пт 8:00–12:00, Вт 14:00–16:00, Чт 14:00–18:00",
    "hours.town-a": "Пн–Пт 8:00–12:00, Чт также 14:00–17:30",
    "hours.town-b": "Пн, Вт, Чт и Пт 8:00–12:00, Ср 14:00–18:00",
    "hours.social-a": "Пн–Пт 8:30–12:00, Чт также 14:00–16:00",
    "hours.social-b": "Пн, Вт и Чт 8:00–12:00 и по договорённости",
    "hours.association": "Пн–Чт 9:00–16:00, Пт 9:00–12:00 и по договорённости",
    "hours.counselling": "Приём по договорённости; открытые консультационные часы: Вт 10:00–12:00",
    # Welcome counsellors' office hours
    "counsellor.awo.office_hours":
        "Вт 9:00–12:00 в ратуше (Rathaus) Jülich, Ср 14:00–16:00 в ратуше Linnich, Чт 9:00–11:00 в "
        "ратуше Titz; в другое время по договорённости.",
    "counsellor.caritas.office_hours":
        "Пн 9:00–12:00 в ратуше (Rathaus) Aldenhoven, Ср 9:00–12:00 в ратуше Niederzier, Чт 14:00–16:00 в "
        "ратуше Inden; в другое время по договорённости.",
    "counsellor.paritaet.office_hours":
        "Пн–Чт 9:00–12:00 в офисе Der Paritätische, Friedrichstraße 27; Вт также 14:00–17:00 открытые "
        "консультационные часы; в другое время по договорённости.",
    "counsellor.diakonie.office_hours":
        "Пн 9:00–12:00 в ратуше (Rathaus) Kreuzau, Вт 9:00–11:00 в ратуше Nideggen, Ср 14:00–16:00 в "
        "ратуше Hürtgenwald, Чт 9:00–11:00 в ратуше Heimbach; в другое время по договорённости.",
    "counsellor.drk.office_hours":
        "Пн 14:00–16:00 в ратуше (Rathaus) Langerwehe, Вт 9:00–12:00 в ратуше Merzenich, Ср 9:00–11:00 в "
        "ратуше Nörvenich, Чт 9:00–11:00 в ратуше Vettweiß; в другое время по договорённости.",
}
