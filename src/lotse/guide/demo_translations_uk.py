"""Ukrainian translations of the demo guide content (see `demo_translations`). Formal address
(Ви, Вам, Ваш, capitalised)."""

UK: dict[str, str] = {
    # First steps
    "step.registration.title": "Зареєструвати місце проживання",
    "step.registration.text":
        "Зареєструйте своє житло в бюро громадян (Bürgerbüro) Вашого міста або громади. Візьміть із собою "
        "паспорт і підтвердження від орендодавця (Wohnungsgeberbestätigung).",
    "step.tax-id.title": "Податковий ідентифікаційний номер (Steuer-ID)",
    "step.tax-id.text":
        "Після реєстрації Федеральне центральне податкове відомство (Bundeszentralamt für Steuern) "
        "надішле Вам податковий номер поштою. Він потрібен Вам для роботи.",
    "step.tax-id.outside_office": "Федеральне центральне податкове відомство (Bundeszentralamt für Steuern)",
    "step.health-insurance.title": "Медичне страхування",
    "step.health-insurance.text":
        "Оберіть державну лікарняну касу (gesetzliche Krankenkasse). Страхування діє з першого дня.",
    "step.health-insurance.outside_office": "Державна лікарняна каса на Ваш вибір (gesetzliche Krankenkasse)",
    "step.health-card.title": "Медична картка (Gesundheitskarte)",
    "step.health-card.text":
        "Соціальне відомство (Sozialamt) видасть Вам медичну картку (Gesundheitskarte) або направлення на "
        "лікування (Behandlungsschein).",
    "step.bank-account.title": "Банківський рахунок",
    "step.bank-account.text":
        "Відкрийте рахунок у банку або ощадній касі (Sparkasse). Кожна людина має право на базовий "
        "рахунок (Basiskonto).",
    "step.bank-account.outside_office": "Банк або ощадна каса (Sparkasse)",
    "step.benefits-sgb2.title": "Подати заяву на громадянську допомогу (Bürgergeld)",
    "step.benefits-sgb2.text":
        "Подайте заяву на громадянську допомогу (Bürgergeld) до центру зайнятості (Jobcenter). Гроші "
        "виплачують лише з місяця подання заяви.",
    "step.benefits-asylblg.title": "Подати заяву на допомогу",
    "step.benefits-asylblg.text":
        "Соціальне відомство (Sozialamt) Вашого міста або громади виплачує допомогу згідно із Законом про "
        "допомогу шукачам притулку (Asylbewerberleistungsgesetz).",
    "step.residence-permit.title": "Дозвіл на проживання (Aufenthaltstitel)",
    "step.residence-permit.text":
        "Відомство у справах іноземців (Ausländerbehörde) видає і продовжує Ваш документ на проживання. "
        "Подайте заяву на продовження вчасно, до закінчення строку дії.",
    "step.integration-course.title": "Інтеграційний курс (Integrationskurs)",
    "step.integration-course.text":
        "З правом на участь від відомства у справах іноземців (Ausländerbehörde) запишіться до "
        "організатора курсів. Право на участь втрачає чинність через рік.",
    "step.language-course-counselling.title": "Курс німецької мови",
    "step.language-course-counselling.text":
        "Консультація для новоприбулих (Willkommensberatung) допоможе Вам знайти відповідний курс "
        "німецької мови.",
    "step.recognition.title": "Визнання професійної кваліфікації",
    "step.recognition.text": "Отримайте консультацію про те, яка установа визнає Ваш диплом.",
    "step.school-childcare.title": "Школа і дитячий садок (Kita)",
    "step.school-childcare.text":
        "Діти зобов’язані відвідувати школу. Інтеграційний центр (Integrationszentrum) консультує щодо "
        "школи, відомство у справах молоді (Jugendamt) — щодо дитячого садка (Kita).",
    "step.broadcasting-fee.title": "Внесок за радіомовлення (Rundfunkbeitrag)",
    "step.broadcasting-fee.text":
        "Якщо у Вас є власне житло, зареєструйте його в службі внесків (Beitragsservice). Якщо Ви "
        "отримуєте громадянську допомогу (Bürgergeld) або допомогу за AsylbLG, Ви можете подати заяву на "
        "звільнення від внеску.",
    "step.broadcasting-fee.outside_office": "ARD ZDF Deutschlandradio Beitragsservice",
    "step.child-benefit.title": "Допомога на дітей (Kindergeld)",
    "step.child-benefit.text":
        "Ви можете подати заяву на допомогу на дітей (Kindergeld) до сімейної каси (Familienkasse).",
    "step.child-benefit.outside_office": "Сімейна каса (Familienkasse)",
    # Text pages
    "text.welcome.title": "Ласкаво просимо до округу Дюрен (Kreis Düren)",
    "text.welcome.body":
        "Щиро вітаємо Вас в окрузі Дюрен! Цей путівник показує, яка установа відповідає за Ваші питання. "
        "Оберіть своє місто або громаду та свою ситуацію. Тоді Ви побачите свої перші кроки та відповідні "
        "установи й консультаційні служби. У кожному місті й громаді Вам безкоштовно допоможе "
        "консультація для новоприбулих (Willkommensberatung).",
    "text.welcome-counselling.title": "Консультація для новоприбулих (Willkommensberatung)",
    "text.welcome-counselling.body":
        "Консультація для новоприбулих є в усіх 15 містах і громадах округу Дюрен. Її надають "
        "благодійні організації: Caritas, Diakonie, AWO, DRK і Der Paritätische. Для кожного населеного "
        "пункту є постійна контактна особа. Консультація безкоштовна й доступна для всіх, незалежно від "
        "статусу перебування. Вона допомагає із заявами, супроводжує на прийоми та підказує інші "
        "консультаційні служби.",
    "text.documents.title": "Важливі документи",
    "text.documents.body":
        "Завжди майте при собі паспорт або дозвіл на проживання (Aufenthaltstitel). Беріть документи на "
        "кожен прийом в установі: паспорт, дозвіл на проживання, довідку про реєстрацію "
        "(Meldebescheinigung) і листи від установи. Зробіть копії або фотографії всіх важливих "
        "документів. Відкривайте листи від установ одразу, бо часто є строк. Якщо Ви не розумієте "
        "листа, Вам допоможе консультація для новоприбулих (Willkommensberatung).",
    "text.emergency.title": "У надзвичайній ситуації",
    "text.emergency.body":
        "Поліція: 110. Пожежна служба і швидка допомога: 112. Дзвінки на номери 110 і 112 безкоштовні. "
        "Чергова лікарська служба (ärztlicher Bereitschaftsdienst), коли кабінет лікаря зачинений: "
        "116 117. Гаряча лінія для жінок, які зазнали насильства (Hilfetelefon Gewalt gegen Frauen), "
        "цілодобово та багатьма мовами: 116 016.",
    # Offices
    "office.abh.description":
        "Відомство у справах іноземців (Ausländerbehörde) округу Дюрен відповідає за Ваше перебування. "
        "Воно видає і продовжує дозволи на проживання та видає право на участь в інтеграційному курсі.",
    "office.abh-juelich.description":
        "Філія відомства у справах іноземців (Ausländerbehörde) у місті Jülich відповідає за мешканців "
        "таких населених пунктів: {places}. Вона видає і продовжує дозволи на проживання.",
    "office.jobcom.description":
        "job-com — це центр зайнятості (Jobcenter) округу Дюрен. Він виплачує громадянську допомогу "
        "(Bürgergeld) і допомагає шукати роботу, професійне навчання та мовні курси.",
    "office.jobcom-juelich.description":
        "Відділення job-com (Jobcenter) у місті Jülich відповідає за мешканців таких населених пунктів: "
        "{places}. Воно виплачує громадянську допомогу (Bürgergeld) і допомагає шукати роботу.",
    "office.ki.description":
        "Комунальний інтеграційний центр (Kommunales Integrationszentrum) консультує новоприбулі родини "
        "щодо школи та освіти, а також щодо визнання професійної кваліфікації. Він координує "
        "консультацію для новоприбулих в окрузі.",
    "office.welcome.description":
        "Welcome Center — перше місце звернення для іноземних кваліфікованих працівників, студентів та "
        "їхніх роботодавців. Він допомагає з питаннями перебування, визнання кваліфікації, пошуку роботи "
        "та житла.",
    "office.einbuergerung.description":
        "Відомство з питань громадянства (Einbürgerungsbehörde) консультує, коли і як Ви можете отримати "
        "німецьке громадянство. Тут Ви подаєте заяву на набуття громадянства.",
    "office.welfare.description":
        "Консультація для новоприбулих (Willkommensberatung) для мешканців таких населених пунктів: "
        "{places}. Постійна контактна особа допоможе Вам із першими кроками, незалежно від статусу "
        "перебування. Консультація безкоштовна.",
    "office.mbe.description":
        "Міграційна консультація для дорослих (Migrationsberatung für Erwachsene, MBE) супроводжує "
        "іммігрантів віком від 27 років у перші роки: з питань перебування, мовних курсів, роботи та "
        "житла.",
    "office.jmd.description":
        "Молодіжна міграційна служба (Jugendmigrationsdienst, JMD) супроводжує молодь віком від 12 до 27 "
        "років у школі, професійному навчанні та роботі.",
    "office.psych.description":
        "Психосоціальна консультація (Psychosoziale Beratung) допомагає біженцям у кризових ситуаціях і "
        "після важких переживань та направляє на терапію. Послуга доступна для мешканців таких "
        "населених пунктів: {places}.",
    "office.sozialamt.description":
        "Соціальне відомство (Sozialamt) у {place} виплачує допомогу згідно із Законом про допомогу "
        "шукачам притулку (Asylbewerberleistungsgesetz) та видає медичну картку (Gesundheitskarte) або "
        "направлення на лікування (Behandlungsschein). Воно також відповідає за розміщення.",
    "office.buergerbuero.description":
        "У бюро громадян (Bürgerbüro) в {place} Ви реєструєте своє житло та отримуєте довідку про "
        "реєстрацію (Meldebescheinigung). Будь ласка, зареєструйтеся протягом двох тижнів після "
        "заселення.",
    # Opening hours
    "hours.abh": "Пн–Пт 8:00–12:00; Пн, Вт і Чт також 13:30–15:30. Будь ласка, заздалегідь запишіться на "
                 "прийом.",
    "hours.abh-juelich": "Вт і Чт 8:30–12:00; Чт також 13:30–16:00. Будь ласка, заздалегідь запишіться на "
                         "прийом.",
    "hours.jobcom": "Пн–Пт 8:00–12:30, Чт також 14:00–17:00",
    "hours.jobcom-juelich": "Пн–Пт 8:00–12:30",
    "hours.kreishaus": "Пн–Чт 8:00–16:00, Пт 8:00–13:00",
    "hours.welcome": "Пн–Чт 8:00–16:00, Пт 8:00–13:00; консультації також увечері за домовленістю",
    "hours.buergerbuero-dueren": "Пн–Пт 7:30–12:30, Чт також 14:00–18:00; Сб 9:00–12:00 лише за записом",
    "hours.buergerbuero-juelich": "Пн–Пт 8:00–12:00, Вт 14:00–16:00, Чт 14:00–18:00",
    "hours.town-a": "Пн–Пт 8:00–12:00, Чт також 14:00–17:30",
    "hours.town-b": "Пн, Вт, Чт і Пт 8:00–12:00, Ср 14:00–18:00",
    "hours.social-a": "Пн–Пт 8:30–12:00, Чт також 14:00–16:00",
    "hours.social-b": "Пн, Вт і Чт 8:00–12:00 та за домовленістю",
    "hours.association": "Пн–Чт 9:00–16:00, Пт 9:00–12:00 та за домовленістю",
    "hours.counselling": "Прийом за домовленістю; відкриті консультаційні години: Вт 10:00–12:00",
    # Welcome counsellors' office hours
    "counsellor.awo.office_hours":
        "Вт 9:00–12:00 у ратуші (Rathaus) Jülich, Ср 14:00–16:00 у ратуші Linnich, Чт 9:00–11:00 у "
        "ратуші Titz; в інший час за домовленістю.",
    "counsellor.caritas.office_hours":
        "Пн 9:00–12:00 у ратуші (Rathaus) Aldenhoven, Ср 9:00–12:00 у ратуші Niederzier, Чт 14:00–16:00 "
        "у ратуші Inden; в інший час за домовленістю.",
    "counsellor.paritaet.office_hours":
        "Пн–Чт 9:00–12:00 в офісі Der Paritätische, Friedrichstraße 27; Вт також 14:00–17:00 відкриті "
        "консультаційні години; в інший час за домовленістю.",
    "counsellor.diakonie.office_hours":
        "Пн 9:00–12:00 у ратуші (Rathaus) Kreuzau, Вт 9:00–11:00 у ратуші Nideggen, Ср 14:00–16:00 у "
        "ратуші Hürtgenwald, Чт 9:00–11:00 у ратуші Heimbach; в інший час за домовленістю.",
    "counsellor.drk.office_hours":
        "Пн 14:00–16:00 у ратуші (Rathaus) Langerwehe, Вт 9:00–12:00 у ратуші Merzenich, Ср 9:00–11:00 у "
        "ратуші Nörvenich, Чт 9:00–11:00 у ратуші Vettweiß; в інший час за домовленістю.",
}
