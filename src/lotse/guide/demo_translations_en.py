"""English translations of the demo guide content (see `demo_translations`)."""

EN: dict[str, str] = {
    # First steps
    "step.registration.title": "Register your address",
    "step.registration.text":
        "Register your flat at the citizens' office (Bürgerbüro) of your town or municipality. Bring "
        "your passport and the landlord's confirmation (Wohnungsgeberbestätigung).",
    "step.tax-id.title": "Tax identification number (Steuer-ID)",
    "step.tax-id.text":
        "After you have registered, the Federal Central Tax Office (Bundeszentralamt für Steuern) sends "
        "you your tax ID by post. You need it for work.",
    "step.tax-id.outside_office": "Federal Central Tax Office (Bundeszentralamt für Steuern)",
    "step.health-insurance.title": "Health insurance",
    "step.health-insurance.text":
        "Choose a statutory health insurance fund (gesetzliche Krankenkasse). You are insured from the "
        "first day.",
    "step.health-insurance.outside_office":
        "A statutory health insurance fund of your choice (gesetzliche Krankenkasse)",
    "step.health-card.title": "Health card (Gesundheitskarte)",
    "step.health-card.text":
        "The social welfare office (Sozialamt) gives you a health card (Gesundheitskarte) or a "
        "treatment voucher (Behandlungsschein).",
    "step.bank-account.title": "Bank account",
    "step.bank-account.text":
        "Open an account at a bank or savings bank (Sparkasse). Everyone has the right to a basic "
        "account (Basiskonto).",
    "step.bank-account.outside_office": "Bank or savings bank (Sparkasse)",
    "step.benefits-sgb2.title": "Apply for citizen's income (Bürgergeld)",
    "step.benefits-sgb2.text":
        "Apply for citizen's income (Bürgergeld) at the job centre (Jobcenter). The money is paid only "
        "from the month in which you apply.",
    "step.benefits-asylblg.title": "Apply for benefits",
    "step.benefits-asylblg.text":
        "The social welfare office (Sozialamt) of your town or municipality pays benefits under the "
        "Asylum Seekers' Benefits Act (Asylbewerberleistungsgesetz).",
    "step.residence-permit.title": "Residence permit (Aufenthaltstitel)",
    "step.residence-permit.text":
        "The foreigners' authority (Ausländerbehörde) issues and extends your residence document. "
        "Apply for the extension in good time before it expires.",
    "step.integration-course.title": "Integration course (Integrationskurs)",
    "step.integration-course.text":
        "With the entitlement from the foreigners' authority (Ausländerbehörde), register with a course "
        "provider. The entitlement expires after one year.",
    "step.language-course-counselling.title": "German course",
    "step.language-course-counselling.text":
        "Your welcome counselling (Willkommensberatung) helps you find a suitable German course.",
    "step.recognition.title": "Have your qualification recognised",
    "step.recognition.text": "Get advice on which office recognises your qualification.",
    "step.school-childcare.title": "School and daycare (Kita)",
    "step.school-childcare.text":
        "Children must go to school. The integration centre (Integrationszentrum) advises on school, "
        "the youth welfare office (Jugendamt) on daycare (Kita).",
    "step.broadcasting-fee.title": "Broadcasting fee (Rundfunkbeitrag)",
    "step.broadcasting-fee.text":
        "If you have a flat of your own, register it with the Beitragsservice. If you receive citizen's "
        "income (Bürgergeld) or benefits under the AsylbLG, you can apply for an exemption.",
    "step.broadcasting-fee.outside_office": "ARD ZDF Deutschlandradio Beitragsservice",
    "step.child-benefit.title": "Child benefit (Kindergeld)",
    "step.child-benefit.text":
        "You can apply for child benefit (Kindergeld) for your children at the family benefits office "
        "(Familienkasse).",
    "step.child-benefit.outside_office": "Family benefits office (Familienkasse)",
    # Text pages
    "text.welcome.title": "Welcome to the district of Düren (Kreis Düren)",
    "text.welcome.body":
        "A warm welcome to the district of Düren! This guide shows you which office is responsible for "
        "your questions. Choose your town or municipality and your situation. You will then see your "
        "first steps and the right offices and counselling services. In every town and municipality, "
        "the welcome counselling (Willkommensberatung) helps you free of charge.",
    "text.welcome-counselling.title": "Welcome counselling (Willkommensberatung)",
    "text.welcome-counselling.body":
        "There is a welcome counselling service in all 15 towns and municipalities of the district of "
        "Düren. It is offered by welfare associations: Caritas, Diakonie, AWO, DRK and Der "
        "Paritätische. Every town and municipality has one fixed contact person. The counselling is "
        "free of charge and open to everyone, whatever their residence status. It helps with "
        "applications, goes with you to appointments and tells you about other counselling services.",
    "text.documents.title": "Important documents",
    "text.documents.body":
        "Always carry your passport or your residence permit (Aufenthaltstitel) with you. Bring your "
        "documents to every appointment at an office: passport, residence permit, registration "
        "certificate (Meldebescheinigung) and the letters from the office. Make copies or take photos "
        "of all important papers. Open letters from offices straight away, as there is often a "
        "deadline. If you do not understand a letter, the welcome counselling (Willkommensberatung) "
        "will help you.",
    "text.emergency.title": "In an emergency",
    "text.emergency.body":
        "Police: 110. Fire brigade and ambulance: 112. The emergency numbers 110 and 112 are free of "
        "charge. Medical on-call service (ärztlicher Bereitschaftsdienst) when the doctor's practice "
        "is closed: 116 117. Helpline for violence against women (Hilfetelefon Gewalt gegen Frauen), "
        "around the clock and in many languages: 116 016.",
    # Offices
    "office.abh.description":
        "The foreigners' authority (Ausländerbehörde) of the district of Düren is responsible for your "
        "residence. It issues and extends residence permits and issues the entitlement to the "
        "integration course.",
    "office.abh-juelich.description":
        "The Jülich branch of the foreigners' authority (Ausländerbehörde) is responsible for people "
        "from {places}. It issues and extends residence permits.",
    "office.jobcom.description":
        "job-com is the job centre (Jobcenter) of the district of Düren. It pays citizen's income "
        "(Bürgergeld) and helps you find work, training and language courses.",
    "office.jobcom-juelich.description":
        "The Jülich office of job-com (Jobcenter) is responsible for people from {places}. It pays "
        "citizen's income (Bürgergeld) and helps you find work.",
    "office.ki.description":
        "The municipal integration centre (Kommunales Integrationszentrum) advises newly arrived "
        "families on school and education and on the recognition of qualifications. It coordinates "
        "the welcome counselling in the district.",
    "office.welcome.description":
        "The Welcome Center is the first point of contact for international skilled workers, students "
        "and their employers. It helps with residence, recognition, finding a job and finding a flat.",
    "office.einbuergerung.description":
        "The naturalisation office (Einbürgerungsbehörde) advises you on when and how you can obtain "
        "German citizenship. This is where you apply for naturalisation.",
    "office.welfare.description":
        "Welcome counselling (Willkommensberatung) for {places}: a fixed contact person helps you with "
        "your first steps, whatever your residence status. The counselling is free of charge.",
    "office.mbe.description":
        "The migration counselling for adults (Migrationsberatung für Erwachsene, MBE) supports "
        "immigrants aged 27 and over in their first years: with residence, language courses, work and "
        "housing.",
    "office.jmd.description":
        "The youth migration service (Jugendmigrationsdienst, JMD) supports young people aged 12 to 27 "
        "with school, training and work.",
    "office.psych.description":
        "The psychosocial counselling (Psychosoziale Beratung) helps refugees in crises and after "
        "distressing experiences and refers them to therapy. The service is for people from {places}.",
    "office.sozialamt.description":
        "The social welfare office (Sozialamt) of {place} pays benefits under the Asylum Seekers' "
        "Benefits Act (Asylbewerberleistungsgesetz) and issues the health card (Gesundheitskarte) or "
        "the treatment voucher (Behandlungsschein). It is also responsible for accommodation.",
    "office.buergerbuero.description":
        "At the citizens' office (Bürgerbüro) of {place} you register your flat and receive the "
        "registration certificate (Meldebescheinigung). Please register within two weeks of moving in.",
    # Opening hours
    "hours.abh": "Mon–Fri 8:00–12:00; Mon, Tue and Thu also 13:30–15:30. Please make an appointment in "
                 "advance.",
    "hours.abh-juelich": "Tue and Thu 8:30–12:00; Thu also 13:30–16:00. Please make an appointment in "
                         "advance.",
    "hours.jobcom": "Mon–Fri 8:00–12:30, Thu also 14:00–17:00",
    "hours.jobcom-juelich": "Mon–Fri 8:00–12:30",
    "hours.kreishaus": "Mon–Thu 8:00–16:00, Fri 8:00–13:00",
    "hours.welcome": "Mon–Thu 8:00–16:00, Fri 8:00–13:00; counselling also in the evening by appointment",
    "hours.buergerbuero-dueren": "Mon–Fri 7:30–12:30, Thu also 14:00–18:00; Sat 9:00–12:00 by appointment only",
    "hours.buergerbuero-juelich": "Mon–Fri 8:00–12:00, Tue 14:00–16:00, Thu 14:00–18:00",
    "hours.town-a": "Mon–Fri 8:00–12:00, Thu also 14:00–17:30",
    "hours.town-b": "Mon, Tue, Thu and Fri 8:00–12:00, Wed 14:00–18:00",
    "hours.social-a": "Mon–Fri 8:30–12:00, Thu also 14:00–16:00",
    "hours.social-b": "Mon, Tue and Thu 8:00–12:00 and by appointment",
    "hours.association": "Mon–Thu 9:00–16:00, Fri 9:00–12:00 and by appointment",
    "hours.counselling": "Appointments by arrangement; open consultation hour Tue 10:00–12:00",
    # Welcome counsellors' office hours
    "counsellor.awo.office_hours":
        "Tue 9:00–12:00 at Jülich town hall (Rathaus), Wed 14:00–16:00 at Linnich town hall, "
        "Thu 9:00–11:00 at Titz town hall; otherwise by appointment.",
    "counsellor.caritas.office_hours":
        "Mon 9:00–12:00 at Aldenhoven town hall (Rathaus), Wed 9:00–12:00 at Niederzier town hall, "
        "Thu 14:00–16:00 at Inden town hall; otherwise by appointment.",
    "counsellor.paritaet.office_hours":
        "Mon–Thu 9:00–12:00 at the office of Der Paritätische, Friedrichstraße 27; Tue also "
        "14:00–17:00 open consultation hour; otherwise by appointment.",
    "counsellor.diakonie.office_hours":
        "Mon 9:00–12:00 at Kreuzau town hall (Rathaus), Tue 9:00–11:00 at Nideggen town hall, "
        "Wed 14:00–16:00 at Hürtgenwald town hall, Thu 9:00–11:00 at Heimbach town hall; otherwise by "
        "appointment.",
    "counsellor.drk.office_hours":
        "Mon 14:00–16:00 at Langerwehe town hall (Rathaus), Tue 9:00–12:00 at Merzenich town hall, "
        "Wed 9:00–11:00 at Nörvenich town hall, Thu 9:00–11:00 at Vettweiß town hall; otherwise by "
        "appointment.",
}
