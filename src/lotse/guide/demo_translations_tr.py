"""Turkish translations of the demo guide content (see `demo_translations`). Formal address
(siz, imperative in -iniz). Missing on purpose: the emergency page and the Welcome Center's
current opening hours (`hours.welcome`)."""

TR: dict[str, str] = {
    # First steps
    "step.registration.title": "İkamet adresini kaydettirme",
    "step.registration.text":
        "Konutunuzu şehrinizin veya belediyenizin vatandaş bürosuna (Bürgerbüro) kaydettiriniz. "
        "Pasaportunuzu ve ev sahibinizin konut verme onayını (Wohnungsgeberbestätigung) yanınızda "
        "getiriniz.",
    "step.tax-id.title": "Vergi kimlik numarası (Steuer-ID)",
    "step.tax-id.text":
        "Kaydınızdan sonra Federal Merkezi Vergi Dairesi (Bundeszentralamt für Steuern) vergi numaranızı "
        "size posta ile gönderir. Çalışmak için bu numaraya ihtiyacınız vardır.",
    "step.tax-id.outside_office": "Federal Merkezi Vergi Dairesi (Bundeszentralamt für Steuern)",
    "step.health-insurance.title": "Sağlık sigortası",
    "step.health-insurance.text":
        "Yasal bir sağlık sigortası kurumu (gesetzliche Krankenkasse) seçiniz. Sigorta ilk günden "
        "itibaren geçerlidir.",
    "step.health-insurance.outside_office":
        "Seçeceğiniz yasal bir sağlık sigortası kurumu (gesetzliche Krankenkasse)",
    "step.health-card.title": "Sağlık kartı (Gesundheitskarte)",
    "step.health-card.text":
        "Sosyal yardım dairesi (Sozialamt) size bir sağlık kartı (Gesundheitskarte) veya tedavi belgesi "
        "(Behandlungsschein) verir.",
    "step.bank-account.title": "Banka hesabı",
    "step.bank-account.text":
        "Bir bankada veya tasarruf sandığında (Sparkasse) hesap açınız. Herkesin temel hesap "
        "(Basiskonto) açma hakkı vardır.",
    "step.bank-account.outside_office": "Banka veya tasarruf sandığı (Sparkasse)",
    "step.benefits-sgb2.title": "Vatandaş parası (Bürgergeld) başvurusu",
    "step.benefits-sgb2.text":
        "Vatandaş parası (Bürgergeld) için iş merkezine (Jobcenter) başvurunuz. Para ancak başvuru "
        "yaptığınız aydan itibaren ödenir.",
    "step.benefits-asylblg.title": "Yardım başvurusu",
    "step.benefits-asylblg.text":
        "Şehrinizin veya belediyenizin sosyal yardım dairesi (Sozialamt), Sığınmacılara Yardım Yasası "
        "(Asylbewerberleistungsgesetz) kapsamındaki yardımları öder.",
    "step.residence-permit.title": "Oturum izni (Aufenthaltstitel)",
    "step.residence-permit.text":
        "Yabancılar dairesi (Ausländerbehörde) oturum belgenizi düzenler ve uzatır. Uzatma başvurusunu "
        "süresi dolmadan önce zamanında yapınız.",
    "step.integration-course.title": "Uyum kursu (Integrationskurs)",
    "step.integration-course.text":
        "Yabancılar dairesinden (Ausländerbehörde) aldığınız katılım hakkı belgesiyle bir kurs kurumuna "
        "kaydolunuz. Katılım hakkı bir yıl sonra geçerliliğini yitirir.",
    "step.language-course-counselling.title": "Almanca kursu",
    "step.language-course-counselling.text":
        "Hoş geldin danışmanlığı (Willkommensberatung), size uygun bir Almanca kursu bulmanıza yardımcı "
        "olur.",
    "step.recognition.title": "Meslek diplomasının tanınması",
    "step.recognition.text": "Diplomanızı hangi kurumun tanıdığı konusunda danışmanlık alınız.",
    "step.school-childcare.title": "Okul ve kreş (Kita)",
    "step.school-childcare.text":
        "Çocukların okula gitmesi zorunludur. Uyum merkezi (Integrationszentrum) okul konusunda, gençlik "
        "dairesi (Jugendamt) ise kreş (Kita) konusunda danışmanlık verir.",
    "step.broadcasting-fee.title": "Yayın katkı payı (Rundfunkbeitrag)",
    "step.broadcasting-fee.text":
        "Kendi konutu olan kişi, konutunu katkı payı hizmetine (Beitragsservice) kaydettirir. Vatandaş "
        "parası (Bürgergeld) veya AsylbLG kapsamında yardım alan kişi muafiyet başvurusunda bulunabilir.",
    "step.broadcasting-fee.outside_office": "ARD ZDF Deutschlandradio Beitragsservice",
    "step.child-benefit.title": "Çocuk parası (Kindergeld)",
    "step.child-benefit.text":
        "Çocuklarınız için aile kasasına (Familienkasse) çocuk parası (Kindergeld) başvurusunda "
        "bulunabilirsiniz.",
    "step.child-benefit.outside_office": "Aile kasası (Familienkasse)",
    # Text pages
    "text.welcome.title": "Düren Bölgesi'ne hoş geldiniz (Kreis Düren)",
    "text.welcome.body":
        "Düren Bölgesi'ne içtenlikle hoş geldiniz! Bu rehber, sorularınız için hangi kurumun yetkili "
        "olduğunu gösterir. Şehrinizi veya belediyenizi ve durumunuzu seçiniz. Ardından ilk adımlarınızı "
        "ve size uygun daireleri ve danışmanlık yerlerini görürsünüz. Her şehirde ve belediyede hoş "
        "geldin danışmanlığı (Willkommensberatung) size ücretsiz yardımcı olur.",
    "text.welcome-counselling.title": "Hoş geldin danışmanlığı (Willkommensberatung)",
    "text.welcome-counselling.body":
        "Düren Bölgesi'ndeki 15 şehir ve belediyenin hepsinde hoş geldin danışmanlığı vardır. Bu "
        "danışmanlığı sosyal yardım kuruluşları sunar: Caritas, Diakonie, AWO, DRK ve Der Paritätische. "
        "Her yer için sabit bir irtibat kişisi vardır. Danışmanlık ücretsizdir ve oturum durumu ne olursa "
        "olsun herkese açıktır. Başvurularda yardımcı olur, randevulara size eşlik eder ve başka "
        "danışmanlık yerleri hakkında bilgi verir.",
    "text.documents.title": "Önemli belgeler",
    "text.documents.body":
        "Pasaportunuzu veya oturum izninizi (Aufenthaltstitel) her zaman yanınızda bulundurunuz. "
        "Dairelerdeki her randevuya belgelerinizi getiriniz: pasaport, oturum izni, ikamet kayıt belgesi "
        "(Meldebescheinigung) ve daireden gelen mektuplar. Tüm önemli belgelerin fotokopisini çekiniz "
        "veya fotoğrafını alınız. Dairelerden gelen mektupları hemen açınız, çünkü çoğu zaman bir süre "
        "vardır. Bir mektubu anlamazsanız hoş geldin danışmanlığı (Willkommensberatung) size yardımcı "
        "olur.",
    # Offices
    "office.abh.description":
        "Düren Bölgesi yabancılar dairesi (Ausländerbehörde) oturumunuzla ilgili işlerden sorumludur. "
        "Oturum izinlerini düzenler, uzatır ve uyum kursuna katılım hakkı verir.",
    "office.abh-juelich.description":
        "Yabancılar dairesinin (Ausländerbehörde) Jülich şubesi şu yerlerde yaşayanlardan sorumludur: "
        "{places}. Oturum izinlerini düzenler ve uzatır.",
    "office.jobcom.description":
        "job-com, Düren Bölgesi'nin iş merkezidir (Jobcenter). Vatandaş parası (Bürgergeld) öder; iş, "
        "meslek eğitimi ve dil kursu bulmanıza yardımcı olur.",
    "office.jobcom-juelich.description":
        "job-com'un (Jobcenter) Jülich şubesi şu yerlerde yaşayanlardan sorumludur: {places}. Vatandaş "
        "parası (Bürgergeld) öder ve iş bulmanıza yardımcı olur.",
    "office.ki.description":
        "Belediye uyum merkezi (Kommunales Integrationszentrum), yeni gelen ailelere okul, eğitim ve "
        "meslek diplomalarının tanınması konularında danışmanlık verir. Bölgedeki hoş geldin "
        "danışmanlığını da koordine eder.",
    "office.welcome.description":
        "Welcome Center, uluslararası nitelikli çalışanlar, öğrenciler ve işverenleri için ilk başvuru "
        "yeridir. Oturum, diploma tanınması, iş arama ve ev arama konularında yardımcı olur.",
    "office.einbuergerung.description":
        "Vatandaşlık dairesi (Einbürgerungsbehörde), Alman vatandaşlığını ne zaman ve nasıl "
        "alabileceğiniz konusunda size danışmanlık verir. Vatandaşlık başvurusunu burada yaparsınız.",
    "office.welfare.description":
        "Şu yerler için hoş geldin danışmanlığı (Willkommensberatung): {places}. Sabit bir irtibat "
        "kişisi, oturum durumunuz ne olursa olsun ilk adımlarınızda size yardımcı olur. Danışmanlık "
        "ücretsizdir.",
    "office.mbe.description":
        "Yetişkinler için göç danışmanlığı (Migrationsberatung für Erwachsene, MBE), 27 yaş ve üzeri "
        "göçmenlere ilk yıllarında oturum, dil kursu, iş ve konut konularında destek olur.",
    "office.jmd.description":
        "Gençlik göç servisi (Jugendmigrationsdienst, JMD), 12 ile 27 yaş arasındaki gençlere okul, "
        "meslek eğitimi ve iş konularında destek olur.",
    "office.psych.description":
        "Psikososyal danışmanlık (Psychosoziale Beratung), kriz durumlarında ve ağır yaşantılardan sonra "
        "mültecilere yardımcı olur ve onları terapiye yönlendirir. Bu hizmet şu yerlerde yaşayanlar "
        "içindir: {places}.",
    "office.sozialamt.description":
        "{place} sosyal yardım dairesi (Sozialamt), Sığınmacılara Yardım Yasası "
        "(Asylbewerberleistungsgesetz) kapsamındaki yardımları öder ve sağlık kartı (Gesundheitskarte) "
        "veya tedavi belgesi (Behandlungsschein) verir. Barınma konusundan da sorumludur.",
    "office.buergerbuero.description":
        "{place} vatandaş bürosunda (Bürgerbüro) konutunuzu kaydettirir ve ikamet kayıt belgesini "
        "(Meldebescheinigung) alırsınız. Lütfen taşındıktan sonra iki hafta içinde kayıt yaptırınız.",
    # Opening hours
    "hours.abh": "Pazartesi–Cuma 8:00–12:00; Pazartesi, Salı ve Perşembe ayrıca 13:30–15:30. Lütfen "
                 "önceden randevu alınız.",
    "hours.abh-juelich": "Salı ve Perşembe 8:30–12:00; Perşembe ayrıca 13:30–16:00. Lütfen önceden "
                         "randevu alınız.",
    "hours.jobcom": "Pazartesi–Cuma 8:00–12:30, Perşembe ayrıca 14:00–17:00",
    "hours.jobcom-juelich": "Pazartesi–Cuma 8:00–12:30",
    "hours.kreishaus": "Pazartesi–Perşembe 8:00–16:00, Cuma 8:00–13:00",
    "hours.buergerbuero-dueren": "Pazartesi–Cuma 7:30–12:30, Perşembe ayrıca 14:00–18:00; Cumartesi "
                                 "9:00–12:00 yalnızca randevu ile",
    "hours.buergerbuero-juelich": "Pazartesi–Cuma 8:00–12:00, Salı 14:00–16:00, Perşembe 14:00–18:00",
    "hours.town-a": "Pazartesi–Cuma 8:00–12:00, Perşembe ayrıca 14:00–17:30",
    "hours.town-b": "Pazartesi, Salı, Perşembe ve Cuma 8:00–12:00, Çarşamba 14:00–18:00",
    "hours.social-a": "Pazartesi–Cuma 8:30–12:00, Perşembe ayrıca 14:00–16:00",
    "hours.social-b": "Pazartesi, Salı ve Perşembe 8:00–12:00 ve randevu ile",
    "hours.association": "Pazartesi–Perşembe 9:00–16:00, Cuma 9:00–12:00 ve randevu ile",
    "hours.counselling": "Randevular anlaşmaya göre; açık danışma saati Salı 10:00–12:00",
    # Welcome counsellors' office hours
    "counsellor.awo.office_hours":
        "Salı 9:00–12:00 Jülich belediye binasında (Rathaus), Çarşamba 14:00–16:00 Linnich belediye "
        "binasında, Perşembe 9:00–11:00 Titz belediye binasında; diğer zamanlarda randevu ile.",
    "counsellor.caritas.office_hours":
        "Pazartesi 9:00–12:00 Aldenhoven belediye binasında (Rathaus), Çarşamba 9:00–12:00 Niederzier "
        "belediye binasında, Perşembe 14:00–16:00 Inden belediye binasında; diğer zamanlarda randevu ile.",
    "counsellor.paritaet.office_hours":
        "Pazartesi–Perşembe 9:00–12:00 Der Paritätische bürosunda, Friedrichstraße 27; Salı ayrıca "
        "14:00–17:00 açık danışma saati; diğer zamanlarda randevu ile.",
    "counsellor.diakonie.office_hours":
        "Pazartesi 9:00–12:00 Kreuzau belediye binasında (Rathaus), Salı 9:00–11:00 Nideggen belediye "
        "binasında, Çarşamba 14:00–16:00 Hürtgenwald belediye binasında, Perşembe 9:00–11:00 Heimbach "
        "belediye binasında; diğer zamanlarda randevu ile.",
    "counsellor.drk.office_hours":
        "Pazartesi 14:00–16:00 Langerwehe belediye binasında (Rathaus), Salı 9:00–12:00 Merzenich "
        "belediye binasında, Çarşamba 9:00–11:00 Nörvenich belediye binasında, Perşembe 9:00–11:00 "
        "Vettweiß belediye binasında; diğer zamanlarda randevu ile.",
}
