"""Realistic, fictitious name material for the synthetic-data generator and the matching tests.

Every single name below is a common given or family name of the country it is listed under;
the *combinations* that the generator draws are fictitious. Each name is a `NameEntry`:
its native spelling (Arabic, Persian or Cyrillic script, or the Latin spelling with its own
diacritics) and the Latin transliterations that German registries typically hold for it,
most common first. The variants are attested spellings (English, German, French and
official romanisations), written down before the matcher was tuned and not adapted to it.

`variant_of` turns one Latin spelling into another plausible one, so that the benchmark and
the tests can write held-out variant pairs whose ground truth is known.

Country data: ISO 3166-1 alpha-2 code, Destatis 3-digit key (Staats- und Gebietssystematik;
checked against the Destatis code list "Staat", whose keys are the nationality keys as well),
typical languages as ISO 639-1 codes and a rough relative weight (share among foreign
residents in Kreis Düren / NRW; an estimate for synthetic data, not an official figure).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple


class NameEntry(NamedTuple):
    """One name: native spelling and its Latin variants (most common first)."""

    original: str
    latin: tuple[str, ...]


@dataclass(frozen=True)
class CountryNames:
    iso2: str
    destatis: str
    name_de: str
    languages: tuple[str, ...]
    weight: float
    script: str  # "Arab", "Cyrl" or "Latn": the script of `NameEntry.original`
    male: tuple[NameEntry, ...]
    female: tuple[NameEntry, ...]
    family: tuple[NameEntry, ...]
    # Family names take a feminine form (Russian -ov/-ova, Polish -ski/-ska, ...).
    gendered_family_names: bool = False


def _n(original: str, *latin: str) -> NameEntry:
    """A name; with no Latin variants given, the original is its own Latin spelling."""
    return NameEntry(original, tuple(latin) if latin else (original,))


# --------------------------------------------------------------------------------------------
# Syria (Arabic script)
# --------------------------------------------------------------------------------------------
_SY_MALE = (
    _n("محمد", "Mohammed", "Muhammad", "Mohamad", "Mohamed", "Muhammed"),
    _n("أحمد", "Ahmad", "Ahmed"),
    _n("علي", "Ali", "Aly"),
    _n("عمر", "Omar", "Umar"),
    _n("خالد", "Khaled", "Khalid", "Chaled"),
    _n("محمود", "Mahmoud", "Mahmud", "Mahmood"),
    _n("يوسف", "Yusuf", "Youssef", "Yousef", "Jusuf"),
    _n("إبراهيم", "Ibrahim", "Ebrahim", "Ibraheem"),
    _n("حسن", "Hassan", "Hasan"),
    _n("حسين", "Hussein", "Husain", "Hussain", "Husein"),
    _n("مصطفى", "Mustafa", "Mostafa", "Moustafa"),
    _n("عبد الرحمن", "Abdulrahman", "Abdul Rahman", "Abd al-Rahman", "Abdelrahman"),
    _n("عبد الله", "Abdullah", "Abdallah", "Abdulla"),
    _n("باسل", "Bassel", "Basel", "Basil"),
    _n("وليد", "Walid", "Waleed"),
    _n("طارق", "Tarek", "Tariq", "Tarik"),
    _n("رامي", "Rami", "Ramy"),
    _n("فادي", "Fadi", "Fady"),
    _n("ماهر", "Maher", "Mahir"),
    _n("أيمن", "Ayman", "Aiman", "Eyman"),
    _n("جمال", "Jamal", "Djamal", "Dschamal"),
    _n("زياد", "Ziad", "Ziyad", "Zeyad"),
    _n("حمزة", "Hamza", "Hamzah"),
    _n("بلال", "Bilal", "Belal"),
    _n("كريم", "Karim", "Kareem"),
    _n("عماد", "Imad", "Emad"),
)
_SY_FEMALE = (
    _n("فاطمة", "Fatima", "Fatma", "Fatimah", "Fatmeh"),
    _n("مريم", "Maryam", "Mariam", "Meryem"),
    _n("آية", "Aya", "Ayah"),
    _n("نور", "Nour", "Nur", "Noor"),
    _n("رهف", "Rahaf"),
    _n("سارة", "Sara", "Sarah"),
    _n("هبة", "Hiba", "Heba"),
    _n("رنا", "Rana"),
    _n("ياسمين", "Yasmin", "Yasmine", "Jasmin"),
    _n("زينب", "Zainab", "Zeinab", "Zaynab"),
    _n("آمنة", "Amina", "Amena", "Aminah"),
    _n("خديجة", "Khadija", "Khadidja", "Chadidscha"),
    _n("رغد", "Raghad", "Ragad"),
    _n("دعاء", "Duaa", "Doaa", "Dua"),
    _n("إسراء", "Israa", "Esraa", "Isra"),
    _n("هدى", "Huda", "Hoda", "Houda"),
    _n("منى", "Mona", "Muna"),
    _n("ليلى", "Layla", "Laila", "Leila"),
    _n("سلمى", "Salma", "Selma"),
    _n("رزان", "Razan"),
    _n("بشرى", "Bushra", "Boushra", "Buschra"),
    _n("ريم", "Reem", "Rim", "Riem"),
    _n("نسرين", "Nisreen", "Nesrin", "Nasrin"),
    _n("غادة", "Ghada", "Gada"),
    _n("لين", "Leen", "Lin"),
)
_SY_FAMILY = (
    _n("الأحمد", "Al-Ahmad", "Alahmad", "Al Ahmad"),
    _n("الحسن", "Al-Hassan", "Alhasan", "Al Hassan"),
    _n("الخطيب", "Al-Khatib", "Alkhatib", "Al Chatib"),
    _n("حمدان", "Hamdan"),
    _n("إبراهيم", "Ibrahim", "Ebrahim"),
    _n("شيخو", "Sheikho", "Shekho", "Scheicho"),
    _n("حداد", "Haddad", "Hadad"),
    _n("خليل", "Khalil", "Chalil", "Khaleel"),
    _n("سليمان", "Suleiman", "Sulaiman", "Sleiman"),
    _n("عثمان", "Othman", "Uthman", "Osman"),
    _n("محمد", "Mohammad", "Mohamed", "Muhammad"),
    _n("الشامي", "Al-Shami", "Alshami", "Al Schami"),
    _n("النجار", "Al-Najjar", "Alnajjar", "Najjar"),
    _n("المصري", "Al-Masri", "Almasri", "El Masri"),
    _n("قاسم", "Kassem", "Qasem", "Kasem"),
    _n("حسين", "Hussein", "Husein", "Hussain"),
    _n("درويش", "Darwish", "Darwisch", "Derwish"),
    _n("سعيد", "Said", "Saeed", "Saied"),
    _n("يوسف", "Youssef", "Yousef", "Yusuf"),
    _n("عبد الله", "Abdullah", "Abdallah", "Abdulla"),
    _n("الحلبي", "Al-Halabi", "Alhalabi", "Halabi"),
    _n("زيدان", "Zidan", "Zeidan", "Zaidan"),
    _n("عيسى", "Issa", "Eissa", "Isa"),
    _n("موسى", "Mousa", "Musa", "Moussa"),
    _n("جاسم", "Jasim", "Jassem", "Jasem"),
    _n("العمر", "Al-Omar", "Alomar", "Al Omar"),
    _n("الزعبي", "Al-Zoubi", "Alzoubi", "Al-Zubi"),
    _n("عبد الكريم", "Abdulkarim", "Abdul Karim", "Abdelkarim"),
    _n("نعسان", "Nasan", "Naasan", "Naassan"),
    _n("السيد", "Al-Sayed", "Alsayed", "Al-Sayyid"),
)

# --------------------------------------------------------------------------------------------
# Iraq (Arabic script; many Kurdish and Yazidi families)
# --------------------------------------------------------------------------------------------
_IQ_MALE = (
    _n("علي", "Ali", "Aly"),
    _n("حسين", "Hussein", "Husain", "Hussain"),
    _n("حيدر", "Haidar", "Haider", "Hayder"),
    _n("عباس", "Abbas", "Abas"),
    _n("محمد", "Mohammed", "Muhammad", "Mohamed"),
    _n("أحمد", "Ahmed", "Ahmad"),
    _n("مصطفى", "Mustafa", "Mostafa"),
    _n("كرار", "Karrar", "Karar"),
    _n("مرتضى", "Murtadha", "Murtada", "Mortada"),
    _n("سجاد", "Sajjad", "Sajad", "Sadschad"),
    _n("عمار", "Ammar", "Amar"),
    _n("زيد", "Zaid", "Zeid", "Zayd"),
    _n("سيف", "Saif", "Seif", "Sayf"),
    _n("ياسر", "Yasir", "Yaser", "Jaser"),
    _n("خلف", "Khalaf", "Chalaf", "Halaf"),
    _n("مراد", "Murad", "Mourad"),
    _n("سليم", "Salim", "Saleem", "Selim"),
    _n("فارس", "Faris", "Fares"),
    _n("آزاد", "Azad", "Azat"),
    _n("سامان", "Saman", "Samaan"),
    _n("دلشاد", "Dilshad", "Dilschad", "Delshad"),
    _n("قاسم", "Qasim", "Kasim", "Kassim"),
    _n("ناصر", "Nasser", "Naser", "Nasir"),
    _n("عدنان", "Adnan"),
    _n("جعفر", "Jaafar", "Jafar", "Dschafar"),
)
_IQ_FEMALE = (
    _n("زهراء", "Zahraa", "Zahra"),
    _n("فاطمة", "Fatima", "Fatema", "Fatimah"),
    _n("مريم", "Maryam", "Mariam"),
    _n("زينب", "Zainab", "Zeinab"),
    _n("نور", "Noor", "Nour", "Nur"),
    _n("حوراء", "Hawraa", "Hawra", "Haura"),
    _n("رقية", "Ruqaya", "Rukaya", "Roqaya", "Ruqayya"),
    _n("شيماء", "Shaimaa", "Shayma", "Schaima"),
    _n("أسماء", "Asmaa", "Asma"),
    _n("أمل", "Amal"),
    _n("إيمان", "Iman", "Eman", "Imane"),
    _n("رشا", "Rasha", "Rascha"),
    _n("سميرة", "Samira", "Sameera"),
    _n("ليلى", "Layla", "Leila"),
    _n("هدى", "Huda", "Houda"),
    _n("شيرين", "Shirin", "Sherin", "Schirin"),
    _n("نادية", "Nadia", "Nadja", "Nadiya"),
    _n("جيهان", "Jihan", "Gihan", "Dschihan"),
    _n("وداد", "Widad", "Wedad"),
    _n("سعاد", "Suad", "Souad", "Soad"),
    _n("خولة", "Khawla", "Khaula", "Chaula"),
    _n("سندس", "Sundus", "Sondos"),
    _n("دنيا", "Dunya", "Donia", "Dunja"),
    _n("حنان", "Hanan"),
    _n("بيريفان", "Berivan", "Beriwan"),
)
_IQ_FAMILY = (
    _n("الجبوري", "Al-Jubouri", "Aljuburi", "Al-Jabouri"),
    _n("العبيدي", "Al-Obaidi", "Alobaidi", "Al-Ubaidi"),
    _n("التميمي", "Al-Tamimi", "Altamimi", "Al Tamimi"),
    _n("الدليمي", "Al-Dulaimi", "Aldulaimi", "Al-Dleimi"),
    _n("الساعدي", "Al-Saadi", "Alsaadi", "Al-Saedi"),
    _n("الربيعي", "Al-Rubaie", "Alrubaie", "Al-Rubaiy"),
    _n("الشمري", "Al-Shammari", "Alshammari", "Al-Shamari"),
    _n("الزبيدي", "Al-Zubaidi", "Alzubaidi", "Al-Zubeidi"),
    _n("البياتي", "Al-Bayati", "Albayati", "Al-Bayaty"),
    _n("الخفاجي", "Al-Khafaji", "Alkhafaji", "Al-Chafadschi"),
    _n("الهاشمي", "Al-Hashimi", "Alhashimi", "Al-Haschimi"),
    _n("الجنابي", "Al-Janabi", "Aljanabi", "Al-Dschanabi"),
    _n("العزاوي", "Al-Azzawi", "Alazzawi", "Al-Azawi"),
    _n("مراد", "Murad", "Mourad"),
    _n("خلف", "Khalaf", "Chalaf"),
    _n("قاسم", "Qasim", "Kasim", "Kassim"),
    _n("حجي", "Haji", "Hajji", "Hadschi"),
    _n("خضر", "Khidir", "Khudhur", "Khider"),
    _n("إسماعيل", "Ismail", "Ismael", "Esmail"),
    _n("حميد", "Hamid", "Hameed"),
    _n("عباس", "Abbas", "Abas"),
    _n("كاظم", "Kadhim", "Kazim", "Kazem"),
    _n("جعفر", "Jaafar", "Jafar"),
    _n("صالح", "Saleh", "Salih"),
    _n("محمود", "Mahmoud", "Mahmud"),
    _n("رشيد", "Rashid", "Rasheed", "Raschid"),
    _n("ناجي", "Naji", "Nagi"),
    _n("الياس", "Elias", "Ilyas", "Elyas"),
    _n("بركات", "Barakat"),
    _n("رشو", "Rasho", "Rashow", "Rascho"),
)

# --------------------------------------------------------------------------------------------
# Afghanistan (Dari / Pashto in Persian script)
# --------------------------------------------------------------------------------------------
_AF_MALE = (
    _n("محمد", "Mohammad", "Muhammad", "Mohamad", "Mohammed"),
    _n("احمد", "Ahmad", "Ahmed"),
    _n("علی", "Ali"),
    _n("حمید", "Hamid", "Hameed"),
    _n("محمود", "Mahmood", "Mahmud", "Mahmoud"),
    _n("عبدالله", "Abdullah", "Abdollah", "Abdulla"),
    _n("نور", "Noor", "Nur"),
    _n("وحید", "Wahid", "Vahid", "Waheed"),
    _n("رحمت الله", "Rahmatullah", "Rahmatollah", "Rahmat Ullah"),
    _n("حمیدالله", "Hamidullah", "Hamidollah", "Hamid Ullah"),
    _n("ذبیح الله", "Zabihullah", "Zabiullah", "Sabiullah"),
    _n("مصطفی", "Mustafa", "Mostafa"),
    _n("جواد", "Jawad", "Javad"),
    _n("فرید", "Farid", "Fareed"),
    _n("سید", "Sayed", "Sayyid", "Seyed"),
    _n("بلال", "Bilal", "Belal"),
    _n("امید", "Omid", "Umid"),
    _n("رامین", "Ramin", "Rameen"),
    _n("شفیق", "Shafiq", "Shafik", "Schafik"),
    _n("روح الله", "Rohullah", "Ruhullah", "Rohollah"),
    _n("خالد", "Khalid", "Khaled"),
    _n("سمیع الله", "Samiullah", "Sami Ullah", "Samiollah"),
    _n("ناصر", "Nasir", "Naser", "Nasser"),
    _n("حبیب", "Habib", "Habeeb"),
    _n("عزیز", "Aziz", "Azis"),
)
_AF_FEMALE = (
    _n("فاطمه", "Fatima", "Fatema", "Fatemeh"),
    _n("زهرا", "Zahra", "Sahra"),
    _n("مریم", "Maryam", "Mariam"),
    _n("مرسل", "Mursal", "Morsal"),
    _n("فرزانه", "Farzana", "Farzaneh"),
    _n("شبنم", "Shabnam", "Schabnam"),
    _n("پروانه", "Parwana", "Parvaneh", "Parwane"),
    _n("زینب", "Zainab", "Zeynab"),
    _n("سیما", "Sima", "Seema"),
    _n("نیلوفر", "Nilofar", "Nilufar", "Niloufar"),
    _n("خدیجه", "Khadija", "Khadijeh", "Chadidscha"),
    _n("لیلا", "Laila", "Leila", "Lila"),
    _n("تهمینه", "Tahmina", "Tahmineh"),
    _n("فرشته", "Freshta", "Fereshteh", "Fereshta"),
    _n("رویا", "Roya", "Roja"),
    _n("حسینه", "Hasina", "Hassina"),
    _n("نرگس", "Nargis", "Narges"),
    _n("مدینه", "Madina", "Medina"),
    _n("مروه", "Marwa", "Marwah"),
    _n("شکیلا", "Shakila", "Schakila"),
    _n("سعدیه", "Sadia", "Saadia"),
    _n("محبوبه", "Mahbooba", "Mahbuba", "Mahboobeh"),
    _n("ثریا", "Soraya", "Suraya", "Thuraya"),
    _n("گلالی", "Gulalai", "Gulalay", "Golalai"),
    _n("ملالی", "Malalai", "Malalay"),
)
_AF_FAMILY = (
    _n("احمدی", "Ahmadi", "Ahmady"),
    _n("محمدی", "Mohammadi", "Muhammadi", "Mohamadi"),
    _n("هاشمی", "Hashimi", "Hashemi", "Haschimi"),
    _n("رحیمی", "Rahimi", "Rahimy"),
    _n("کریمی", "Karimi", "Karimy"),
    _n("حیدری", "Haidari", "Heidari", "Haydari"),
    _n("سلطانی", "Sultani", "Soltani"),
    _n("نوری", "Noori", "Nuri", "Nouri"),
    _n("عزیزی", "Azizi", "Asisi"),
    _n("پوپل", "Popal", "Popol"),
    _n("استانکزی", "Stanikzai", "Stanekzai", "Stanaksai"),
    _n("وردک", "Wardak", "Wardag"),
    _n("صافی", "Safi", "Saafi"),
    _n("حکیمی", "Hakimi", "Hakimy"),
    _n("امیری", "Amiri", "Amiry"),
    _n("رضایی", "Rezaie", "Rezai", "Rezaei"),
    _n("حسینی", "Hussaini", "Hosseini", "Husseini"),
    _n("سادات", "Sadat", "Saadat"),
    _n("جعفری", "Jafari", "Jafary", "Jaafari"),
    _n("نظری", "Nazari", "Nasari"),
    _n("قادری", "Qaderi", "Kaderi", "Qadiri"),
    _n("حبیبی", "Habibi", "Habiby"),
    _n("شریفی", "Sharifi", "Scharifi"),
    _n("رسولی", "Rasuli", "Rasouli", "Rasooli"),
    _n("شینواری", "Shinwari", "Schinwari", "Shinwary"),
    _n("یوسفزی", "Yousufzai", "Yusufzai", "Yousafzai"),
    _n("مهمند", "Mohmand", "Momand"),
    _n("صمدی", "Samadi", "Samady"),
    _n("اکبری", "Akbari", "Akbary"),
    _n("رحمانی", "Rahmani", "Rahmany"),
)

# --------------------------------------------------------------------------------------------
# Iran (Persian script)
# --------------------------------------------------------------------------------------------
_IR_MALE = (
    _n("محمد", "Mohammad", "Mohamad", "Muhammad"),
    _n("علی", "Ali"),
    _n("رضا", "Reza", "Resa"),
    _n("حسین", "Hossein", "Hosein", "Hussein"),
    _n("مهدی", "Mehdi", "Mahdi"),
    _n("امیر", "Amir", "Ameer"),
    _n("حمید", "Hamid", "Hameed"),
    _n("سعید", "Saeed", "Said", "Saied"),
    _n("مصطفی", "Mostafa", "Mustafa"),
    _n("جواد", "Javad", "Jawad", "Dschawad"),
    _n("محسن", "Mohsen", "Muhsin"),
    _n("مجید", "Majid", "Madjid", "Madschid"),
    _n("بهنام", "Behnam", "Bahnam"),
    _n("فرهاد", "Farhad"),
    _n("بابک", "Babak"),
    _n("امید", "Omid", "Umid"),
    _n("آرش", "Arash", "Arasch"),
    _n("کوروش", "Kourosh", "Kurosh", "Kurosch", "Koorosh"),
    _n("نوید", "Navid", "Nawid"),
    _n("پیمان", "Peyman", "Payman", "Paiman"),
    _n("احسان", "Ehsan", "Ihsan"),
    _n("مرتضی", "Morteza", "Mortaza", "Murtaza"),
    _n("حامد", "Hamed"),
    _n("میلاد", "Milad"),
    _n("وحید", "Vahid", "Wahid"),
)
_IR_FEMALE = (
    _n("فاطمه", "Fatemeh", "Fateme", "Fatima"),
    _n("زهرا", "Zahra", "Sahra"),
    _n("مریم", "Maryam", "Mariam"),
    _n("سارا", "Sara"),
    _n("نرگس", "Narges", "Nargess"),
    _n("ندا", "Neda"),
    _n("شیرین", "Shirin", "Schirin"),
    _n("لیلا", "Leila", "Leyla", "Laila"),
    _n("پریسا", "Parisa", "Parissa"),
    _n("مهسا", "Mahsa", "Mahssa"),
    _n("نیلوفر", "Niloufar", "Nilufar", "Nilofar"),
    _n("آزاده", "Azadeh", "Azade"),
    _n("شیوا", "Shiva", "Schiwa"),
    _n("مینا", "Mina"),
    _n("رویا", "Roya", "Roja"),
    _n("الهام", "Elham", "Ilham"),
    _n("سهیلا", "Soheila", "Soheyla", "Suhaila"),
    _n("مهناز", "Mahnaz", "Mahnas"),
    _n("گلناز", "Golnaz", "Gulnaz", "Golnas"),
    _n("نازنین", "Nazanin", "Nasanin"),
    _n("طاهره", "Tahereh", "Tahere", "Tahira"),
    _n("سمیه", "Somayeh", "Somaye", "Sumaya"),
    _n("لادن", "Ladan"),
    _n("مرجان", "Marjan", "Mardschan"),
    _n("فرناز", "Farnaz", "Farnas"),
)
_IR_FAMILY = (
    _n("محمدی", "Mohammadi", "Mohamadi", "Muhammadi"),
    _n("حسینی", "Hosseini", "Hoseini", "Husseini"),
    _n("احمدی", "Ahmadi"),
    _n("رضایی", "Rezaei", "Rezai", "Rezaie"),
    _n("مرادی", "Moradi", "Muradi"),
    _n("کریمی", "Karimi"),
    _n("جعفری", "Jafari", "Jaafari", "Dschafari"),
    _n("رحیمی", "Rahimi"),
    _n("هاشمی", "Hashemi", "Haschemi", "Hashimi"),
    _n("قاسمی", "Ghasemi", "Qasemi", "Gasemi"),
    _n("موسوی", "Mousavi", "Musavi", "Moussawi"),
    _n("صادقی", "Sadeghi", "Sadeqi", "Sadegi"),
    _n("حیدری", "Heidari", "Haidari", "Heydari"),
    _n("اکبری", "Akbari"),
    _n("کاظمی", "Kazemi", "Kazimi"),
    _n("رستمی", "Rostami", "Rustami"),
    _n("صالحی", "Salehi", "Salihi"),
    _n("باقری", "Bagheri", "Baqeri", "Bageri"),
    _n("نظری", "Nazari"),
    _n("عباسی", "Abbasi", "Abassi"),
    _n("امینی", "Amini", "Emini"),
    _n("سلیمانی", "Soleimani", "Soleymani", "Suleimani"),
    _n("ابراهیمی", "Ebrahimi", "Ibrahimi"),
    _n("نجفی", "Najafi", "Nadschafi"),
    _n("شهبازی", "Shahbazi", "Schahbasi"),
    _n("عزیزی", "Azizi"),
    _n("تهرانی", "Tehrani", "Teherani"),
    _n("اسماعیلی", "Esmaili", "Ismaili", "Esmaeili"),
    _n("زمانی", "Zamani", "Samani"),
    _n("فراهانی", "Farahani"),
)

# --------------------------------------------------------------------------------------------
# Ukraine (Cyrillic)
# --------------------------------------------------------------------------------------------
_UA_MALE = (
    _n("Олександр", "Oleksandr", "Aleksandr", "Olexandr", "Alexander"),
    _n("Андрій", "Andrii", "Andriy", "Andrij", "Andrej"),
    _n("Сергій", "Serhii", "Serhiy", "Sergei", "Sergej", "Serhij"),
    _n("Микола", "Mykola", "Nikolai", "Nikolaj", "Mikola"),
    _n("Володимир", "Volodymyr", "Wolodymyr", "Vladimir", "Wladimir"),
    _n("Дмитро", "Dmytro", "Dmitro", "Dmitri"),
    _n("Іван", "Ivan", "Iwan"),
    _n("Віктор", "Viktor", "Wiktor"),
    _n("Юрій", "Yurii", "Yuriy", "Jurij", "Juri"),
    _n("Євген", "Yevhen", "Evgeni", "Jewgeni", "Yevgen", "Ievgen"),
    _n("Михайло", "Mykhailo", "Mychajlo", "Mikhail", "Michail"),
    _n("Олег", "Oleh", "Oleg"),
    _n("Петро", "Petro"),
    _n("Богдан", "Bohdan", "Bogdan"),
    _n("Василь", "Vasyl", "Wasyl", "Vasili"),
    _n("Ярослав", "Yaroslav", "Jaroslaw", "Jaroslav"),
    _n("Максим", "Maksym", "Maksim", "Maxim"),
    _n("Артем", "Artem", "Artjom", "Artyom"),
    _n("Віталій", "Vitalii", "Vitaliy", "Witalij"),
    _n("Роман", "Roman"),
    _n("Тарас", "Taras"),
    _n("Анатолій", "Anatolii", "Anatoliy", "Anatolij"),
    _n("Ігор", "Ihor", "Igor"),
    _n("Павло", "Pavlo", "Pawlo", "Pavel"),
    _n("Степан", "Stepan"),
)
_UA_FEMALE = (
    _n("Олена", "Olena", "Elena", "Jelena", "Yelena"),
    _n("Оксана", "Oksana", "Oxana"),
    _n("Наталія", "Nataliia", "Nataliya", "Natalija", "Natalia"),
    _n("Тетяна", "Tetiana", "Tetyana", "Tatjana", "Tatiana"),
    _n("Ірина", "Iryna", "Irina"),
    _n("Світлана", "Svitlana", "Swetlana", "Svetlana"),
    _n("Юлія", "Yuliia", "Yuliya", "Julija", "Julia"),
    _n("Ольга", "Olha", "Olga"),
    _n("Марія", "Mariia", "Mariya", "Marija", "Maria"),
    _n("Ганна", "Hanna", "Ganna"),
    _n("Катерина", "Kateryna", "Katerina", "Jekaterina"),
    _n("Людмила", "Liudmyla", "Lyudmila", "Ljudmila"),
    _n("Галина", "Halyna", "Galina", "Halina"),
    _n("Вікторія", "Viktoriia", "Viktoriya", "Wiktorija", "Viktoria"),
    _n("Анастасія", "Anastasiia", "Anastasiya", "Anastasija"),
    _n("Валентина", "Valentyna", "Walentina", "Valentina"),
    _n("Лариса", "Larysa", "Larissa"),
    _n("Надія", "Nadiia", "Nadiya", "Nadija"),
    _n("Христина", "Khrystyna", "Christina", "Chrystyna"),
    _n("Дарина", "Daryna", "Darina"),
    _n("Софія", "Sofiia", "Sofiya", "Sofija", "Sofia"),
    _n("Інна", "Inna"),
    _n("Вероніка", "Veronika", "Weronika"),
    _n("Яна", "Yana", "Jana"),
    _n("Аліна", "Alina"),
)
_UA_FAMILY = (
    _n("Коваленко", "Kovalenko", "Kowalenko"),
    _n("Шевченко", "Shevchenko", "Schewtschenko", "Sevcenko"),
    _n("Бондаренко", "Bondarenko"),
    _n("Ткаченко", "Tkachenko", "Tkatschenko"),
    _n("Кравченко", "Kravchenko", "Krawtschenko"),
    _n("Бойко", "Boiko", "Boyko", "Bojko"),
    _n("Коваль", "Koval", "Kowal"),
    _n("Олійник", "Oliinyk", "Oliynyk", "Olijnyk"),
    _n("Шевчук", "Shevchuk", "Schewtschuk"),
    _n("Поліщук", "Polishchuk", "Polischtschuk"),
    _n("Мельник", "Melnyk", "Melnik"),
    _n("Лисенко", "Lysenko", "Lyssenko", "Lissenko"),
    _n("Марченко", "Marchenko", "Martschenko"),
    _n("Руденко", "Rudenko"),
    _n("Савченко", "Savchenko", "Sawtschenko"),
    _n("Петренко", "Petrenko"),
    _n("Клименко", "Klymenko", "Klimenko"),
    _n("Павленко", "Pavlenko", "Pawlenko"),
    _n("Кузьменко", "Kuzmenko", "Kusmenko"),
    _n("Мороз", "Moroz", "Moros"),
    _n("Ковальчук", "Kovalchuk", "Kowaltschuk"),
    _n("Гончаренко", "Honcharenko", "Gontscharenko", "Goncharenko"),
    _n("Литвиненко", "Lytvynenko", "Litwinenko", "Litvinenko"),
    _n("Ткачук", "Tkachuk", "Tkatschuk"),
    _n("Романенко", "Romanenko"),
    _n("Карпенко", "Karpenko"),
    _n("Кравчук", "Kravchuk", "Krawtschuk"),
    _n("Яковенко", "Yakovenko", "Jakowenko"),
    _n("Гриценко", "Hrytsenko", "Grizenko", "Hryzenko"),
    _n("Захарченко", "Zakharchenko", "Sachartschenko", "Zacharchenko"),
)

# --------------------------------------------------------------------------------------------
# Russian Federation (Cyrillic; includes Chechen families)
# --------------------------------------------------------------------------------------------
_RU_MALE = (
    _n("Александр", "Aleksandr", "Alexander", "Alexandr"),
    _n("Сергей", "Sergei", "Sergey", "Sergej"),
    _n("Дмитрий", "Dmitry", "Dmitrii", "Dmitri", "Dmitrij"),
    _n("Андрей", "Andrei", "Andrey", "Andrej"),
    _n("Алексей", "Aleksei", "Alexey", "Alexej"),
    _n("Максим", "Maksim", "Maxim"),
    _n("Евгений", "Evgeny", "Yevgeny", "Jewgeni", "Evgenij"),
    _n("Иван", "Ivan", "Iwan"),
    _n("Михаил", "Mikhail", "Michail", "Mihail"),
    _n("Николай", "Nikolai", "Nikolay", "Nikolaj"),
    _n("Владимир", "Vladimir", "Wladimir"),
    _n("Павел", "Pavel", "Pawel"),
    _n("Артём", "Artyom", "Artjom", "Artem"),
    _n("Денис", "Denis"),
    _n("Игорь", "Igor"),
    _n("Роман", "Roman"),
    _n("Константин", "Konstantin"),
    _n("Виктор", "Viktor", "Wiktor"),
    _n("Юрий", "Yury", "Yuri", "Juri", "Jurij"),
    _n("Олег", "Oleg"),
    _n("Кирилл", "Kirill", "Kyrill"),
    _n("Илья", "Ilya", "Ilja", "Ilia"),
    _n("Григорий", "Grigory", "Grigori", "Grigorij"),
    _n("Магомед", "Magomed", "Magomet"),
    _n("Рамзан", "Ramzan", "Ramsan"),
)
_RU_FEMALE = (
    _n("Елена", "Elena", "Yelena", "Jelena"),
    _n("Ольга", "Olga"),
    _n("Наталья", "Natalya", "Natalia", "Natalja"),
    _n("Татьяна", "Tatyana", "Tatiana", "Tatjana"),
    _n("Ирина", "Irina"),
    _n("Светлана", "Svetlana", "Swetlana"),
    _n("Анна", "Anna"),
    _n("Мария", "Maria", "Mariya", "Marija"),
    _n("Екатерина", "Ekaterina", "Yekaterina", "Jekaterina"),
    _n("Юлия", "Yulia", "Yuliya", "Julia", "Julija"),
    _n("Анастасия", "Anastasia", "Anastasiya", "Anastasija"),
    _n("Ксения", "Ksenia", "Kseniya", "Xenia", "Ksenija"),
    _n("Дарья", "Darya", "Daria", "Darja"),
    _n("Людмила", "Lyudmila", "Ludmila", "Ljudmila"),
    _n("Галина", "Galina"),
    _n("Марина", "Marina"),
    _n("Валентина", "Valentina", "Walentina"),
    _n("Надежда", "Nadezhda", "Nadeschda", "Nadezda"),
    _n("Вера", "Vera", "Wera"),
    _n("Любовь", "Lyubov", "Ljubow", "Lubov"),
    _n("Полина", "Polina"),
    _n("Алина", "Alina"),
    _n("Виктория", "Viktoria", "Victoria", "Wiktorija"),
    _n("Софья", "Sofya", "Sofia", "Sofja"),
    _n("Мадина", "Madina"),
)
_RU_FAMILY = (
    _n("Иванов", "Ivanov", "Iwanow", "Ivanoff"),
    _n("Смирнов", "Smirnov", "Smirnow"),
    _n("Кузнецов", "Kuznetsov", "Kusnezow", "Kuznecov"),
    _n("Попов", "Popov", "Popow"),
    _n("Васильев", "Vasilyev", "Wassiljew", "Vasiliev"),
    _n("Петров", "Petrov", "Petrow"),
    _n("Соколов", "Sokolov", "Sokolow"),
    _n("Михайлов", "Mikhailov", "Michailow", "Mikhaylov"),
    _n("Новиков", "Novikov", "Nowikow"),
    _n("Фёдоров", "Fedorov", "Fyodorov", "Fjodorow"),
    _n("Морозов", "Morozov", "Morosow"),
    _n("Волков", "Volkov", "Wolkow"),
    _n("Алексеев", "Alekseev", "Alexejew", "Alekseyev"),
    _n("Лебедев", "Lebedev", "Lebedew"),
    _n("Семёнов", "Semenov", "Semyonov", "Semjonow"),
    _n("Егоров", "Egorov", "Yegorov", "Jegorow"),
    _n("Павлов", "Pavlov", "Pawlow"),
    _n("Козлов", "Kozlov", "Koslow"),
    _n("Степанов", "Stepanov", "Stepanow"),
    _n("Николаев", "Nikolaev", "Nikolajew", "Nikolayev"),
    _n("Орлов", "Orlov", "Orlow"),
    _n("Андреев", "Andreev", "Andrejew", "Andreyev"),
    _n("Макаров", "Makarov", "Makarow"),
    _n("Никитин", "Nikitin"),
    _n("Захаров", "Zakharov", "Sacharow", "Zaharov"),
    _n("Зайцев", "Zaitsev", "Saizew", "Zaytsev"),
    _n("Соловьёв", "Solovyov", "Solowjow", "Soloviev"),
    _n("Борисов", "Borisov", "Borissow"),
    _n("Яковлев", "Yakovlev", "Jakowlew"),
    _n("Магомедов", "Magomedov", "Magomedow"),
)

# --------------------------------------------------------------------------------------------
# Bulgaria (Cyrillic; includes Turkish-speaking families)
# --------------------------------------------------------------------------------------------
_BG_MALE = (
    _n("Георги", "Georgi", "Georgy"),
    _n("Иван", "Ivan", "Iwan"),
    _n("Димитър", "Dimitar", "Dimitur", "Dimiter"),
    _n("Николай", "Nikolay", "Nikolai"),
    _n("Петър", "Petar", "Petur", "Peter"),
    _n("Христо", "Hristo", "Christo", "Khristo"),
    _n("Стоян", "Stoyan", "Stojan"),
    _n("Тодор", "Todor"),
    _n("Йордан", "Yordan", "Jordan"),
    _n("Васил", "Vasil", "Wassil"),
    _n("Стефан", "Stefan"),
    _n("Атанас", "Atanas"),
    _n("Пламен", "Plamen"),
    _n("Красимир", "Krasimir"),
    _n("Ангел", "Angel"),
    _n("Валентин", "Valentin", "Walentin"),
    _n("Мартин", "Martin"),
    _n("Александър", "Aleksandar", "Alexander", "Aleksandur"),
    _n("Емил", "Emil"),
    _n("Кирил", "Kiril", "Kirill"),
    _n("Борис", "Boris"),
    _n("Цветан", "Tsvetan", "Zwetan", "Cvetan"),
    _n("Ахмед", "Ahmed", "Ahmet"),
    _n("Мехмед", "Mehmed", "Mehmet"),
    _n("Асен", "Asen", "Assen"),
)
_BG_FEMALE = (
    _n("Мария", "Maria", "Mariya"),
    _n("Иванка", "Ivanka", "Iwanka"),
    _n("Елена", "Elena"),
    _n("Йорданка", "Yordanka", "Jordanka"),
    _n("Пенка", "Penka"),
    _n("Даниела", "Daniela"),
    _n("Цветанка", "Tsvetanka", "Zwetanka", "Cvetanka"),
    _n("Милена", "Milena"),
    _n("Десислава", "Desislava", "Dessislava"),
    _n("Гергана", "Gergana"),
    _n("Николина", "Nikolina"),
    _n("Стефка", "Stefka"),
    _n("Радка", "Radka"),
    _n("Виолета", "Violeta", "Wioleta"),
    _n("Галина", "Galina"),
    _n("Петя", "Petya", "Petja"),
    _n("Силвия", "Silvia", "Silviya"),
    _n("Теодора", "Teodora", "Theodora"),
    _n("Надежда", "Nadezhda", "Nadeschda"),
    _n("Веселина", "Veselina", "Wesselina"),
    _n("Красимира", "Krasimira"),
    _n("Росица", "Rositsa", "Rossiza", "Rosica"),
    _n("Емине", "Emine"),
    _n("Фатме", "Fatme"),
    _n("Айше", "Ayshe", "Aishe", "Ajshe"),
)
_BG_FAMILY = (
    _n("Иванов", "Ivanov", "Iwanow"),
    _n("Георгиев", "Georgiev", "Georgiew"),
    _n("Димитров", "Dimitrov", "Dimitrow"),
    _n("Петров", "Petrov", "Petrow"),
    _n("Николов", "Nikolov", "Nikolow"),
    _n("Христов", "Hristov", "Christow", "Khristov"),
    _n("Стоянов", "Stoyanov", "Stojanow"),
    _n("Тодоров", "Todorov", "Todorow"),
    _n("Илиев", "Iliev", "Ilijew"),
    _n("Атанасов", "Atanasov", "Atanassow"),
    _n("Ангелов", "Angelov", "Angelow"),
    _n("Йорданов", "Yordanov", "Jordanow"),
    _n("Колев", "Kolev", "Kolew"),
    _n("Маринов", "Marinov", "Marinow"),
    _n("Стефанов", "Stefanov", "Stefanow"),
    _n("Попов", "Popov", "Popow"),
    _n("Михайлов", "Mihaylov", "Mihailov", "Michailow"),
    _n("Костов", "Kostov", "Kostow"),
    _n("Василев", "Vasilev", "Wassilew"),
    _n("Марков", "Markov", "Markow"),
    _n("Цветков", "Tsvetkov", "Zwetkow", "Cvetkov"),
    _n("Асенов", "Asenov", "Assenow"),
    _n("Ахмедов", "Ahmedov", "Achmedow"),
    _n("Мехмедов", "Mehmedov", "Mehmedow"),
    _n("Алиев", "Aliev", "Alijew"),
    _n("Кирилов", "Kirilov", "Kirilow"),
    _n("Славов", "Slavov", "Slawow"),
    _n("Павлов", "Pavlov", "Pawlow"),
    _n("Божилов", "Bozhilov", "Boschilow"),
    _n("Панайотов", "Panayotov", "Panajotow"),
)

# --------------------------------------------------------------------------------------------
# Türkei (Latin with Turkish letters)
# --------------------------------------------------------------------------------------------
_TR_MALE = (
    _n("Mehmet", "Mehmet", "Mehmed"),
    _n("Mustafa"),
    _n("Ahmet", "Ahmet", "Ahmed"),
    _n("Ali"),
    _n("Hüseyin", "Hüseyin", "Hueseyin", "Huseyin"),
    _n("Hasan", "Hasan", "Hassan"),
    _n("İbrahim", "Ibrahim"),
    _n("İsmail", "Ismail"),
    _n("Osman"),
    _n("Yusuf", "Yusuf", "Jusuf"),
    _n("Murat", "Murat", "Murad"),
    _n("Ömer", "Ömer", "Oemer", "Omer"),
    _n("Ramazan", "Ramazan", "Ramasan"),
    _n("Halil"),
    _n("Süleyman", "Süleyman", "Sueleyman", "Suleyman"),
    _n("Abdullah"),
    _n("Mahmut", "Mahmut", "Mahmud"),
    _n("Recep", "Recep", "Redschep"),
    _n("Emre"),
    _n("Burak"),
    _n("Kemal"),
    _n("Şükrü", "Şükrü", "Sükrü", "Suekrue", "Sukru"),
    _n("Çetin", "Çetin", "Cetin", "Tschetin"),
    _n("Serkan"),
    _n("Cem"),
)
_TR_FEMALE = (
    _n("Fatma"),
    _n("Ayşe", "Ayşe", "Ayse", "Aysche"),
    _n("Emine"),
    _n("Hatice", "Hatice", "Hatidsche"),
    _n("Zeynep", "Zeynep", "Zejnep"),
    _n("Elif"),
    _n("Meryem", "Meryem", "Merjem"),
    _n("Şerife", "Şerife", "Serife", "Scherife"),
    _n("Zehra"),
    _n("Sultan"),
    _n("Hanife"),
    _n("Merve"),
    _n("Özlem", "Özlem", "Oezlem", "Ozlem"),
    _n("Yasemin", "Yasemin", "Jasemin"),
    _n("Hülya", "Hülya", "Huelya", "Hulya"),
    _n("Esra"),
    _n("Büşra", "Büşra", "Buesra", "Busra"),
    _n("Gül", "Gül", "Guel", "Gul"),
    _n("Derya"),
    _n("Songül", "Songül", "Songuel", "Songul"),
    _n("Leyla", "Leyla", "Leila"),
    _n("Sevgi"),
    _n("Dilek"),
    _n("Gülsüm", "Gülsüm", "Guelsuem", "Gulsum"),
    _n("Nurcan", "Nurcan", "Nurdschan"),
)
_TR_FAMILY = (
    _n("Yılmaz", "Yılmaz", "Yilmaz", "Jilmaz"),
    _n("Kaya"),
    _n("Demir"),
    _n("Şahin", "Şahin", "Sahin", "Schahin"),
    _n("Çelik", "Çelik", "Celik", "Tschelik"),
    _n("Yıldız", "Yıldız", "Yildiz", "Yildis"),
    _n("Yıldırım", "Yıldırım", "Yildirim"),
    _n("Öztürk", "Öztürk", "Oeztuerk", "Ozturk"),
    _n("Aydın", "Aydın", "Aydin", "Aidin"),
    _n("Özdemir", "Özdemir", "Oezdemir", "Ozdemir"),
    _n("Arslan"),
    _n("Doğan", "Doğan", "Dogan"),
    _n("Kılıç", "Kılıç", "Kilic", "Kilitsch"),
    _n("Çetin", "Çetin", "Cetin"),
    _n("Kara"),
    _n("Koç", "Koç", "Koc"),
    _n("Kurt"),
    _n("Özkan", "Özkan", "Oezkan", "Ozkan"),
    _n("Şimşek", "Şimşek", "Simsek", "Schimschek"),
    _n("Polat"),
    _n("Korkmaz"),
    _n("Erdoğan", "Erdoğan", "Erdogan"),
    _n("Güneş", "Güneş", "Guenes", "Gunes"),
    _n("Aktaş", "Aktaş", "Aktas", "Aktasch"),
    _n("Bulut"),
    _n("Keskin"),
    _n("Ünal", "Ünal", "Uenal", "Unal"),
    _n("Acar"),
    _n("Tekin"),
    _n("Güler", "Güler", "Gueler", "Guler"),
)

# --------------------------------------------------------------------------------------------
# Romania (Latin with Romanian letters)
# --------------------------------------------------------------------------------------------
_RO_MALE = (
    _n("Ion"),
    _n("Gheorghe"),
    _n("Constantin", "Constantin", "Konstantin"),
    _n("Vasile"),
    _n("Alexandru"),
    _n("Ioan"),
    _n("Nicolae", "Nicolae", "Nikolae"),
    _n("Mihai"),
    _n("Andrei"),
    _n("Ștefan", "Ștefan", "Stefan"),
    _n("Florin"),
    _n("Adrian"),
    _n("Marian"),
    _n("Dumitru"),
    _n("Cristian", "Cristian", "Kristian"),
    _n("Daniel"),
    _n("Gabriel"),
    _n("Ionuț", "Ionuț", "Ionut", "Ionutz"),
    _n("Bogdan"),
    _n("Marius"),
    _n("Răzvan", "Răzvan", "Razvan"),
    _n("Sorin"),
    _n("Cătălin", "Cătălin", "Catalin"),
    _n("Ciprian"),
    _n("Viorel"),
)
_RO_FEMALE = (
    _n("Maria"),
    _n("Elena"),
    _n("Ioana"),
    _n("Ana"),
    _n("Mihaela"),
    _n("Andreea"),
    _n("Cristina", "Cristina", "Kristina"),
    _n("Daniela"),
    _n("Gabriela"),
    _n("Alexandra"),
    _n("Florentina"),
    _n("Mariana"),
    _n("Nicoleta"),
    _n("Georgiana"),
    _n("Ramona"),
    _n("Simona"),
    _n("Roxana"),
    _n("Adriana"),
    _n("Larisa", "Larisa", "Larissa"),
    _n("Elisabeta"),
    _n("Doina"),
    _n("Camelia"),
    _n("Anca"),
    _n("Florica"),
    _n("Lăcrămioara", "Lăcrămioara", "Lacramioara"),
)
_RO_FAMILY = (
    _n("Popa"),
    _n("Popescu"),
    _n("Radu"),
    _n("Dumitru"),
    _n("Stan"),
    _n("Stoica"),
    _n("Gheorghe"),
    _n("Matei"),
    _n("Ciobanu"),
    _n("Ionescu"),
    _n("Rusu"),
    _n("Munteanu"),
    _n("Constantin"),
    _n("Lazăr", "Lazăr", "Lazar"),
    _n("Ene"),
    _n("Marin"),
    _n("Tudor"),
    _n("Florea"),
    _n("Dinu"),
    _n("Moldovan"),
    _n("Barbu"),
    _n("Ungureanu"),
    _n("Ilie"),
    _n("Cristea"),
    _n("Toma"),
    _n("Nistor"),
    _n("Sandu"),
    _n("Dobre"),
    _n("Oprea"),
    _n("Lupu"),
)

# --------------------------------------------------------------------------------------------
# Poland (Latin with Polish letters)
# --------------------------------------------------------------------------------------------
_PL_MALE = (
    _n("Piotr"),
    _n("Krzysztof"),
    _n("Andrzej"),
    _n("Tomasz"),
    _n("Paweł", "Paweł", "Pawel"),
    _n("Jan"),
    _n("Michał", "Michał", "Michal"),
    _n("Marcin"),
    _n("Jakub"),
    _n("Adam"),
    _n("Łukasz", "Łukasz", "Lukasz"),
    _n("Marek"),
    _n("Grzegorz"),
    _n("Mateusz"),
    _n("Wojciech"),
    _n("Mariusz"),
    _n("Dariusz"),
    _n("Zbigniew"),
    _n("Kamil"),
    _n("Rafał", "Rafał", "Rafal"),
    _n("Robert"),
    _n("Sebastian"),
    _n("Dawid"),
    _n("Przemysław", "Przemysław", "Przemyslaw"),
    _n("Jerzy"),
)
_PL_FEMALE = (
    _n("Anna"),
    _n("Katarzyna"),
    _n("Małgorzata", "Małgorzata", "Malgorzata"),
    _n("Agnieszka"),
    _n("Barbara"),
    _n("Ewa"),
    _n("Krystyna"),
    _n("Magdalena"),
    _n("Elżbieta", "Elżbieta", "Elzbieta"),
    _n("Joanna"),
    _n("Aleksandra"),
    _n("Monika"),
    _n("Zofia"),
    _n("Teresa"),
    _n("Danuta"),
    _n("Natalia"),
    _n("Karolina"),
    _n("Marta"),
    _n("Beata"),
    _n("Dorota"),
    _n("Halina"),
    _n("Jadwiga"),
    _n("Justyna"),
    _n("Paulina"),
    _n("Iwona"),
)
_PL_FAMILY = (
    _n("Nowak"),
    _n("Kowalski"),
    _n("Wiśniewski", "Wiśniewski", "Wisniewski", "Wischnewski"),
    _n("Wójcik", "Wójcik", "Wojcik"),
    _n("Kowalczyk"),
    _n("Kamiński", "Kamiński", "Kaminski"),
    _n("Lewandowski"),
    _n("Zieliński", "Zieliński", "Zielinski"),
    _n("Szymański", "Szymański", "Szymanski", "Schymanski"),
    _n("Woźniak", "Woźniak", "Wozniak"),
    _n("Dąbrowski", "Dąbrowski", "Dabrowski", "Dombrowski"),
    _n("Kozłowski", "Kozłowski", "Kozlowski", "Koslowski"),
    _n("Jankowski"),
    _n("Mazur"),
    _n("Wojciechowski"),
    _n("Kwiatkowski"),
    _n("Krawczyk"),
    _n("Kaczmarek"),
    _n("Piotrowski"),
    _n("Grabowski"),
    _n("Zając", "Zając", "Zajac"),
    _n("Pawłowski", "Pawłowski", "Pawlowski"),
    _n("Michalski"),
    _n("Król", "Król", "Krol"),
    _n("Wieczorek"),
    _n("Jabłoński", "Jabłoński", "Jablonski"),
    _n("Wróbel", "Wróbel", "Wrobel"),
    _n("Majewski"),
    _n("Olszewski"),
    _n("Stępień", "Stępień", "Stepien"),
)

# --------------------------------------------------------------------------------------------
# Eritrea (Tigrinya names in their usual Latin spellings; family name = father's name)
# --------------------------------------------------------------------------------------------
_ER_MALE = (
    _n("Yonas", "Yonas", "Jonas"),
    _n("Yohannes", "Yohannes", "Yohanes", "Johannes"),
    _n("Tesfay", "Tesfay", "Tesfai", "Tesfaye"),
    _n("Mehari", "Mehari", "Mahari"),
    _n("Berhane", "Berhane", "Birhane", "Berhani"),
    _n("Dawit", "Dawit", "Dawid"),
    _n("Filmon", "Filmon", "Philmon"),
    _n("Samuel"),
    _n("Mikael", "Mikael", "Michael", "Mikiel"),
    _n("Habtom"),
    _n("Kidane"),
    _n("Tekle", "Tekle", "Tecle"),
    _n("Semere", "Semere", "Semre"),
    _n("Abraham", "Abraham", "Abreham"),
    _n("Goitom", "Goitom", "Goytom"),
    _n("Efrem", "Efrem", "Ephrem"),
    _n("Amanuel", "Amanuel", "Emmanuel"),
    _n("Haile", "Haile", "Hayle"),
    _n("Mussie", "Mussie", "Musie"),
    _n("Robel"),
    _n("Nahom", "Nahom", "Nahum"),
    _n("Aron", "Aron", "Aaron"),
    _n("Biniam", "Biniam", "Biniyam", "Binyam"),
    _n("Henok", "Henok", "Henoch"),
    _n("Ermias", "Ermias", "Ermyas"),
)
_ER_FEMALE = (
    _n("Helen", "Helen", "Hellen"),
    _n("Senait", "Senait", "Senayt"),
    _n("Saba"),
    _n("Selam", "Selam", "Salam"),
    _n("Rahel", "Rahel", "Rachel"),
    _n("Luwam", "Luwam", "Luam"),
    _n("Feven", "Feven", "Fiven"),
    _n("Yordanos", "Yordanos", "Jordanos"),
    _n("Winta"),
    _n("Hiwet", "Hiwet", "Hewet"),
    _n("Ruta"),
    _n("Tsega", "Tsega", "Tsegga"),
    _n("Hanna", "Hanna", "Hana"),
    _n("Elsa"),
    _n("Almaz", "Almaz", "Almas"),
    _n("Meron"),
    _n("Eden"),
    _n("Semhar"),
    _n("Mihret", "Mihret", "Mehret"),
    _n("Freweini", "Freweini", "Frewoini"),
    _n("Tirhas", "Tirhas", "Terhas"),
    _n("Abeba"),
    _n("Aster"),
    _n("Lidia", "Lidia", "Lydia"),
    _n("Mebrat"),
)
_ER_FAMILY = (
    _n("Tesfamariam", "Tesfamariam", "Tesfamaryam"),
    _n("Ghebremedhin", "Ghebremedhin", "Gebremedhin", "Gebremedin"),
    _n("Tekle", "Tekle", "Tecle"),
    _n("Haile", "Haile", "Hayle"),
    _n("Kidane"),
    _n("Berhe"),
    _n("Gebremariam", "Gebremariam", "Ghebremariam", "Gebremaryam"),
    _n("Woldemichael", "Woldemichael", "Weldemichael", "Woldemikael"),
    _n("Mehari", "Mehari", "Mahari"),
    _n("Habte"),
    _n("Tesfay", "Tesfay", "Tesfai"),
    _n("Asmerom"),
    _n("Ghirmay", "Ghirmay", "Girmay"),
    _n("Kahsay", "Kahsay", "Kahsai"),
    _n("Andemariam", "Andemariam", "Andemaryam"),
    _n("Yemane"),
    _n("Negash", "Negash", "Negasch"),
    _n("Fitsum"),
    _n("Okbay", "Okbay", "Okubay"),
    _n("Zerai", "Zerai", "Zeray"),
    _n("Tewelde"),
    _n("Bahta"),
    _n("Measho"),
    _n("Hagos"),
    _n("Araya"),
    _n("Ghebreyesus", "Ghebreyesus", "Gebreyesus"),
    _n("Goitom", "Goitom", "Goytom"),
    _n("Solomon"),
    _n("Woldu", "Woldu", "Weldu"),
    _n("Abraha"),
)

# --------------------------------------------------------------------------------------------
# Nigeria (Latin; Igbo, Yoruba and Hausa names)
# --------------------------------------------------------------------------------------------
_NG_MALE = (
    _n("Chukwuemeka"),
    _n("Oluwaseun"),
    _n("Emeka"),
    _n("Chinedu"),
    _n("Ibrahim"),
    _n("Musa"),
    _n("Abubakar", "Abubakar", "Abubakr"),
    _n("Usman", "Usman", "Osman"),
    _n("Babatunde"),
    _n("Olumide"),
    _n("Adebayo"),
    _n("Oluwafemi"),
    _n("Tunde"),
    _n("Ikechukwu"),
    _n("Obinna"),
    _n("Uchenna"),
    _n("Ifeanyi"),
    _n("Godwin"),
    _n("Emmanuel"),
    _n("Daniel"),
    _n("Yusuf", "Yusuf", "Yusuff"),
    _n("Suleiman", "Suleiman", "Sulaiman"),
    _n("Aliyu"),
    _n("Sani"),
    _n("Nnamdi"),
)
_NG_FEMALE = (
    _n("Ngozi"),
    _n("Chiamaka"),
    _n("Adaeze"),
    _n("Blessing"),
    _n("Funmilayo"),
    _n("Folake"),
    _n("Aisha", "Aisha", "Aishat", "Ayesha"),
    _n("Fatima", "Fatima", "Fatimah"),
    _n("Hauwa"),
    _n("Zainab"),
    _n("Amina", "Amina", "Aminat"),
    _n("Esther"),
    _n("Grace"),
    _n("Joy"),
    _n("Mercy"),
    _n("Chioma"),
    _n("Nkechi"),
    _n("Ifeoma"),
    _n("Titilayo"),
    _n("Yetunde"),
    _n("Bukola"),
    _n("Adaobi"),
    _n("Precious"),
    _n("Oluchi"),
    _n("Temitope"),
)
_NG_FAMILY = (
    _n("Okafor"),
    _n("Okonkwo"),
    _n("Eze"),
    _n("Nwosu"),
    _n("Adeyemi"),
    _n("Ogunleye"),
    _n("Balogun"),
    _n("Okeke"),
    _n("Ibrahim"),
    _n("Mohammed", "Mohammed", "Muhammad"),
    _n("Abubakar"),
    _n("Bello"),
    _n("Adebayo"),
    _n("Olawale"),
    _n("Oladipo"),
    _n("Nwachukwu"),
    _n("Chukwu"),
    _n("Obi"),
    _n("Ogundipe"),
    _n("Afolabi"),
    _n("Adewale"),
    _n("Akinola"),
    _n("Olaniyan"),
    _n("Okoro"),
    _n("Uche"),
    _n("Danjuma"),
    _n("Yusuf"),
    _n("Lawal"),
    _n("Suleiman", "Suleiman", "Sulaiman"),
    _n("Onyekachi"),
)

# --------------------------------------------------------------------------------------------
# Kosovo (Albanian)
# --------------------------------------------------------------------------------------------
_XK_MALE = (
    _n("Arben"),
    _n("Besnik"),
    _n("Fatmir"),
    _n("Agim"),
    _n("Valon"),
    _n("Driton"),
    _n("Arbër", "Arbër", "Arber"),
    _n("Blerim"),
    _n("Bujar"),
    _n("Burim"),
    _n("Ilir"),
    _n("Kushtrim", "Kushtrim", "Kuschtrim"),
    _n("Labinot"),
    _n("Leutrim"),
    _n("Liridon"),
    _n("Mentor"),
    _n("Shpend", "Shpend", "Schpend"),
    _n("Ardian"),
    _n("Florent"),
    _n("Gëzim", "Gëzim", "Gezim"),
    _n("Enver"),
    _n("Bekim"),
    _n("Visar"),
    _n("Dardan"),
    _n("Xhevdet", "Xhevdet", "Dzhevdet", "Dschewdet"),
)
_XK_FEMALE = (
    _n("Albulena"),
    _n("Arbnora"),
    _n("Blerina"),
    _n("Donjeta"),
    _n("Drita"),
    _n("Edona"),
    _n("Fatime"),
    _n("Flaka"),
    _n("Fjolla", "Fjolla", "Fjola"),
    _n("Gentiana"),
    _n("Hana"),
    _n("Jehona"),
    _n("Kaltrina"),
    _n("Lirie"),
    _n("Mimoza", "Mimoza", "Mimosa"),
    _n("Njomza"),
    _n("Qëndresa", "Qëndresa", "Qendresa"),
    _n("Rina"),
    _n("Shqipe", "Shqipe", "Schqipe"),
    _n("Teuta"),
    _n("Valbona"),
    _n("Vjosa", "Vjosa", "Wjosa"),
    _n("Vlora"),
    _n("Zana"),
    _n("Lindita"),
)
_XK_FAMILY = (
    _n("Krasniqi", "Krasniqi", "Krasniki"),
    _n("Gashi", "Gashi", "Gaschi"),
    _n("Berisha", "Berisha", "Berischa"),
    _n("Morina"),
    _n("Shala", "Shala", "Schala"),
    _n("Bytyqi", "Bytyqi", "Bytyci"),
    _n("Hoxha", "Hoxha", "Hodscha", "Hodza"),
    _n("Kastrati"),
    _n("Rexhepi", "Rexhepi", "Redzepi", "Redschepi"),
    _n("Hasani"),
    _n("Ahmeti"),
    _n("Musliu"),
    _n("Thaçi", "Thaçi", "Thaci"),
    _n("Sylejmani", "Sylejmani", "Sulejmani"),
    _n("Kryeziu"),
    _n("Zeqiri", "Zeqiri", "Zekiri"),
    _n("Jashari", "Jashari", "Jaschari"),
    _n("Osmani"),
    _n("Rama"),
    _n("Haxhiu", "Haxhiu", "Hadschiu"),
    _n("Kelmendi"),
    _n("Shehu", "Shehu", "Schehu"),
    _n("Halili"),
    _n("Limani"),
    _n("Salihu"),
    _n("Beqiri", "Beqiri", "Bekiri"),
    _n("Mustafa"),
    _n("Avdiu"),
    _n("Dervishi", "Dervishi", "Derwischi"),
    _n("Latifi"),
)


COUNTRIES: dict[str, CountryNames] = {
    "SY": CountryNames("SY", "475", "Syrien", ("ar", "ku"), 0.15, "Arab",
                       _SY_MALE, _SY_FEMALE, _SY_FAMILY),
    "AF": CountryNames("AF", "423", "Afghanistan", ("fa", "ps", "uz"), 0.06, "Arab",
                       _AF_MALE, _AF_FEMALE, _AF_FAMILY),
    "IQ": CountryNames("IQ", "438", "Irak", ("ar", "ku"), 0.06, "Arab",
                       _IQ_MALE, _IQ_FEMALE, _IQ_FAMILY),
    "UA": CountryNames("UA", "166", "Ukraine", ("uk", "ru"), 0.10, "Cyrl",
                       _UA_MALE, _UA_FEMALE, _UA_FAMILY),
    "TR": CountryNames("TR", "163", "Türkei", ("tr", "ku"), 0.20, "Latn",
                       _TR_MALE, _TR_FEMALE, _TR_FAMILY),
    "RO": CountryNames("RO", "154", "Rumänien", ("ro", "hu"), 0.07, "Latn",
                       _RO_MALE, _RO_FEMALE, _RO_FAMILY),
    "BG": CountryNames("BG", "125", "Bulgarien", ("bg", "tr"), 0.05, "Cyrl",
                       _BG_MALE, _BG_FEMALE, _BG_FAMILY, gendered_family_names=True),
    "PL": CountryNames("PL", "152", "Polen", ("pl",), 0.08, "Latn",
                       _PL_MALE, _PL_FEMALE, _PL_FAMILY, gendered_family_names=True),
    "ER": CountryNames("ER", "224", "Eritrea", ("ti", "ar", "en"), 0.02, "Latn",
                       _ER_MALE, _ER_FEMALE, _ER_FAMILY),
    "IR": CountryNames("IR", "439", "Iran", ("fa", "ku", "az"), 0.03, "Arab",
                       _IR_MALE, _IR_FEMALE, _IR_FAMILY),
    "NG": CountryNames("NG", "232", "Nigeria", ("en", "ha", "yo", "ig"), 0.02, "Latn",
                       _NG_MALE, _NG_FEMALE, _NG_FAMILY),
    "RU": CountryNames("RU", "160", "Russische Föderation", ("ru", "ce"), 0.03, "Cyrl",
                       _RU_MALE, _RU_FEMALE, _RU_FAMILY, gendered_family_names=True),
    "XK": CountryNames("XK", "150", "Kosovo", ("sq", "sr"), 0.03, "Latn",
                       _XK_MALE, _XK_FEMALE, _XK_FAMILY),
}
"""Keyed by ISO 3166-1 alpha-2 ("XK" for Kosovo is the user-assigned code in common use)."""


# --------------------------------------------------------------------------------------------
# Feminine family names
# --------------------------------------------------------------------------------------------
_FEMININE_SUFFIXES: tuple[tuple[str, str], ...] = (
    # Cyrillic
    ("ов", "ова"), ("ев", "ева"), ("ин", "ина"),
    # Latin transliterations of the above, and Polish adjectival names
    ("ski", "ska"), ("cki", "cka"), ("dzki", "dzka"),
    ("ov", "ova"), ("ow", "owa"), ("ev", "eva"), ("ew", "ewa"), ("off", "ova"), ("in", "ina"),
)


def feminine_form(family_name: str) -> str:
    """The feminine form of a Slavic family name (Ivanov → Ivanova, Kowalski → Kowalska)."""
    for masculine, feminine in sorted(_FEMININE_SUFFIXES, key=lambda p: -len(p[0])):
        if family_name.endswith(masculine):
            return family_name[: -len(masculine)] + feminine
    return family_name


def family_entry_for(country: CountryNames, entry: NameEntry, sex: str) -> NameEntry:
    """The family name as a person of `sex` ("f"/"m") of `country` bears it."""
    if sex != "f" or not country.gendered_family_names:
        return entry
    return NameEntry(
        feminine_form(entry.original), tuple(feminine_form(v) for v in entry.latin)
    )


# --------------------------------------------------------------------------------------------
# Spelling variants
# --------------------------------------------------------------------------------------------
# Realistic single changes that German registries produce when a name is transliterated
# again or typed from hearing, grouped by the writing tradition the name comes from:
# (pattern, replacement) on the lower-cased name; one random match position is changed.
_Change = tuple[str, str]

_COMMON_CHANGES: tuple[_Change, ...] = (
    (r"([bdfgklmnprstz])\1", r"\1"),         # doubled letter dropped: Hassan → Hasan
    (r"(?<=[aeiou])s(?=[aeiou])", "ss"),        # German voiceless s: Larisa → Larissa
)
_ARABIC_CHANGES: tuple[_Change, ...] = (               # Arabic, Persian, Pashto, Kurdish
    (r"ou", "u"), (r"(?<=[^aeiou])u(?=[^aeiou])", "ou"), (r"oo", "u"), (r"ee", "i"),
    (r"(?<=[^aeiou])i(?=[^aeiou])", "ee"), (r"(?<=[^aeiou])i(?=[^aeiou])", "e"),
    (r"(?<=[^aeiou])e(?=[^aeiou])", "a"), (r"(?<=[^aeiou])e(?=[^aeiou])", "i"),
    (r"(?<=[^aeiou])a(?=[^aeiou])", "e"), (r"(?<=[^aeiou])o(?=[^aeiou])", "u"),
    (r"(?<=[^aeiou])u(?=[^aeiou])", "o"), (r"ei", "ai"), (r"ai", "ei"), (r"ay", "ai"),
    (r"kh", "ch"), (r"kh", "h"), (r"sh", "sch"), (r"j", "dsch"), (r"j", "dj"), (r"q", "k"),
    (r"gh", "g"), (r"w", "v"), (r"v", "w"), (r"ah$", "a"), (r"(?<=[^aeiou])a$", "ah"),
    (r"^y", "j"), (r"z", "s"), (r"^al-", "al"), (r"^al-", "el-"), (r"^al-", ""),
    (r"^abdul", "abdel"), (r"^abdul", "abd al-"), (r"ullah$", "ollah"),
    (r"(?<=[aeiou])([bdfklmnrt])(?=[aeiou])", r"\1\1"),  # shadda written: Karar → Karrar
)
_CYRILLIC_CHANGES: tuple[_Change, ...] = (             # Ukrainian, Russian, Bulgarian
    (r"y(?=[aeiou])", "j"), (r"j(?=[aeiou])", "y"), (r"iy$", "ij"), (r"iy$", "i"),
    (r"ii$", "iy"), (r"ij$", "i"), (r"(?<=[aeo])y$", "j"), (r"(?<=[aeo])y$", "i"),
    (r"sh", "sch"), (r"ch", "tsch"), (r"zh", "sch"), (r"kh", "ch"), (r"kh", "h"),
    (r"w", "v"), (r"v", "w"), (r"ks", "x"), (r"x", "ks"), (r"ts", "z"), (r"^z", "s"),
    (r"(?<=[aeiou])s(?=[aeiou])", "ss"), (r"ov$", "ow"), (r"ov$", "off"), (r"ev$", "ew"),
    (r"ova$", "owa"), (r"^e", "je"), (r"^ye", "e"), (r"^ye", "je"),
    (r"(?<![sckz])h", "g"), (r"g(?!h)", "h"),
    (r"(?<=[^aeiou])y(?=[^aeiou])", "i"), (r"(?<=[^aeiou])i(?=[^aeiou])", "y"),
    (r"(?<=[^aeiou])e(?=[^aeiou])", "i"), (r"(?<=[^aeiou])i(?=[^aeiou])", "e"),
)
_TURKISH_CHANGES: tuple[_Change, ...] = (
    (r"ş", "sch"), (r"ş", "sh"), (r"ç", "tsch"), (r"ç", "ch"), (r"(?<!s)c(?!h)", "dsch"), (r"ğ", ""),
    (r"y", "j"), (r"ı", "i"), (r"ü", "ue"), (r"ö", "oe"), (r"(?<=[aeiou])z$", "s"),
    (r"t$", "d"), (r"d$", "t"), (r"p$", "b"),
)
_POLISH_CHANGES: tuple[_Change, ...] = (
    (r"sz", "sch"), (r"cz", "tsch"), (r"w", "v"), (r"ł", "l"), (r"ski$", "sky"),
    (r"rz", "sch"), (r"(?<=[^aeiou])y", "i"), (r"ą", "on"), (r"ę", "en"),
)
_ROMANIAN_CHANGES: tuple[_Change, ...] = (
    (r"ș", "s"), (r"ț", "t"), (r"ț", "tz"), (r"ă", "a"), (r"â", "a"), (r"î", "i"),
    (r"c(?=[aou])", "k"), (r"ea", "ia"), (r"ii$", "i"), (r"gh", "g"),
)
_ALBANIAN_CHANGES: tuple[_Change, ...] = (
    (r"ë", "e"), (r"ç", "c"), (r"ç", "tsch"), (r"sh", "sch"), (r"xh", "dsch"), (r"xh", "dzh"),
    (r"q", "k"), (r"y", "ü"), (r"y", "i"), (r"j", "i"),
)
_ERITREAN_CHANGES: tuple[_Change, ...] = (
    (r"ay$", "ai"), (r"ai$", "ay"), (r"gh", "g"), (r"(?<=[^aeiou])e(?=[^aeiou])", "i"),
    (r"(?<=[^aeiou])i(?=[^aeiou])", "e"), (r"ts", "z"), (r"w", "u"), (r"k", "c"),
    (r"(?<=[^aeiou])a(?=[^aeiou])", "e"),
)
_NIGERIAN_CHANGES: tuple[_Change, ...] = ()  # English spellings: only the common changes
_CHANGES_BY_COUNTRY: dict[str, tuple[_Change, ...]] = {
    "SY": _ARABIC_CHANGES, "IQ": _ARABIC_CHANGES, "AF": _ARABIC_CHANGES,
    "IR": _ARABIC_CHANGES, "UA": _CYRILLIC_CHANGES, "RU": _CYRILLIC_CHANGES,
    "BG": _CYRILLIC_CHANGES, "TR": _TURKISH_CHANGES, "PL": _POLISH_CHANGES,
    "RO": _ROMANIAN_CHANGES, "XK": _ALBANIAN_CHANGES, "ER": _ERITREAN_CHANGES,
    "NG": _NIGERIAN_CHANGES,
}
_DIACRITIC_DROP = str.maketrans({
    "ş": "s", "ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ü": "u", "ä": "a", "ë": "e", "ł": "l",
    "ă": "a", "â": "a", "î": "i", "ș": "s", "ț": "t", "ę": "e", "ą": "a", "ś": "s", "ź": "z",
    "ż": "z", "ń": "n", "ó": "o", "ć": "c",
})


class _Spellings(NamedTuple):
    spellings: tuple[str, ...]
    countries: frozenset[str]


@cache
def _variant_index() -> dict[str, _Spellings]:
    """Every listed Latin spelling (casefolded) → all spellings of its name, and its countries.

    Feminine forms of gendered family names are indexed as names of their own.
    """
    spellings: dict[str, set[str]] = {}
    countries: dict[str, set[str]] = {}
    for code, country in COUNTRIES.items():
        entries = [*country.male, *country.female, *country.family]
        if country.gendered_family_names:
            entries += [family_entry_for(country, e, "f") for e in country.family]
        for entry in entries:
            names = {*entry.latin}
            if country.script == "Latn":
                names.add(entry.original)
            for name in names:
                spellings.setdefault(name.casefold(), set()).update(names)
                countries.setdefault(name.casefold(), set()).add(code)
    return {
        key: _Spellings(tuple(sorted(spellings[key])), frozenset(countries[key]))
        for key in spellings
    }


def _apply_change(name: str, change: _Change, rng: random.Random) -> str:
    pattern, replacement = change
    matches = list(re.finditer(pattern, name))
    if not matches:
        return name
    m = rng.choice(matches)
    return name[: m.start()] + m.expand(replacement) + name[m.end():]


def _recapitalise(name: str) -> str:
    return re.sub(r"(^|[\s-])(\w)", lambda m: m.group(1) + m.group(2).upper(), name)


def _spelling_change(name: str, countries: frozenset[str], rng: random.Random) -> str:
    """One realistic transliteration change of `name`, in the tradition of its countries."""
    lower = name.lower()
    changes = list(_COMMON_CHANGES)
    for code in sorted(countries) or ["SY", "UA"]:
        changes += _CHANGES_BY_COUNTRY[code]
    candidates = {
        changed for change in changes
        if (changed := _apply_change(lower, change, rng)) != lower and len(changed) >= 2
    }
    dropped = lower.translate(_DIACRITIC_DROP)
    if dropped != lower and rng.random() < 0.5:
        return _recapitalise(dropped)  # dropping diacritics is the most common change of all
    if not candidates:
        return _recapitalise(dropped)
    return _recapitalise(rng.choice(sorted(candidates)))


def variant_of(name_latin: str, rng: random.Random, *, novel: bool = False) -> str:
    """A plausible other spelling of `name_latin`.

    Picks another listed variant of the same name when one exists; otherwise (or always, with
    `novel=True`) applies one realistic transliteration change of the name's writing tradition:
    ou↔u, y↔j, a doubled letter dropped or added, ä↔ae, sh↔sch, kh↔ch, -ov↔-ow, ş→sch, …
    Names that are not listed are treated as Arabic or Cyrillic transliterations. Very short
    names that offer no realistic change come back unchanged.
    """
    known = _variant_index().get(name_latin.casefold())
    listed = [v for v in known.spellings if v != name_latin] if known else []
    if listed and not novel:
        return rng.choice(listed)
    return _spelling_change(name_latin, known.countries if known else frozenset(), rng)


def all_names() -> list[tuple[str, str, NameEntry]]:
    """(country code, kind, entry) for every listed name; kind is "male", "female" or "family"."""
    return [
        (code, kind, entry)
        for code, country in COUNTRIES.items()
        for kind in ("male", "female", "family")
        for entry in getattr(country, kind)
    ]
