"""Coder and lay synonyms: the words people search with, and the wording CMS uses for the same thing.

Each entry is `(typed, (cms, ...))`:

- `typed` is a word or short phrase a coder or a patient searches with, in lower case
  ("back brace", "bipap", "shot", "abn");
- each `cms` is a word or phrase that CMS writes in HCPCS Level II long or short
  descriptions for that same thing ("lumbar sacral orthosis", "respiratory assist
  device", "injection", "advance beneficiary notice").

The search matches each CMS phrase as a phrase: its words in sequence, punctuation
ignored, as the search index splits text ("bi-level" is the two words "bi level",
"bath/shower chair" is "bath shower chair"). An entry whose typed side and CMS side are
both single words also works in reverse, so that "orthosis" finds "brace" too.

The rule for an entry:

- it is general knowledge: a coder would agree that both sides name the same item,
  service or idea, whatever query is being run; nothing is here for one query alone;
- every CMS phrase occurs in the October 2025 release (tests/test_synonyms.py checks it
  against the real data), and is specific enough not to drag in unrelated codes: a
  synonym that makes a common word match the wrong codes is worse than none;
- it adds something: the search already matches each typed word as a prefix and in its
  singular and plural forms, joins two typed words that CMS writes as one ("wheel
  chair") and splits a typed word it does not know into two it does ("bedpan"), so
  "crutch", "rehab" or "chemo" need no entry;
- the typed side is what the query reader keeps: no word it drops as noise ("use",
  "code", "bill") or reads as a kind of code ("injection", "supplies", "drug").

Modifiers are described in the file as CMS words them ("Left side", "New equipment",
"Waiver of liability statement issued ..."); the numeric CPT modifiers (25, 50, 59 ...)
are not part of the HCPCS Level II file, so "distinct procedural service" leads to the
X modifiers that CMS defines in its place.
"""

SYNONYMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Braces, splints and supports: CMS says orthosis (orthotic) and names the body parts it spans.
    ("brace", ("orthosis", "orthotic")),
    ("back brace", ("lumbar sacral orthosis", "thoracic lumbar sacral orthosis", "lumbar orthosis", "tlso")),
    ("neck brace", (
        "cervical collar", "foam collar", "plastic collar", "thermoplastic collar", "multiple post collar",
    )),
    ("knee brace", ("knee orthosis",)),
    ("ankle brace", ("ankle orthosis", "ankle foot orthosis")),
    ("wrist brace", ("wrist hand orthosis", "wrist hand finger orthosis")),
    ("wrist splint", ("wrist hand orthosis", "wrist hand finger orthosis")),
    ("finger splint", ("finger orthosis",)),
    ("foot drop", ("ankle foot orthosis", "dorsiflexion assist")),
    ("drop foot", ("foot drop", "ankle foot orthosis", "dorsiflexion assist")),
    ("cam boot", ("walking boot",)),
    ("cam walker", ("walking boot",)),
    ("arm sling", ("slings", "shoulder sling")),
    ("hernia belt", ("truss",)),
    ("insoles", ("foot insert", "arch support", "multiple density insert")),
    ("diabetic shoes", ("for diabetics only", "depth-inlay shoe")),
    # Prosthetics.
    ("breast form", ("breast prosthesis",)),
    ("stump sock", ("prosthetic sock",)),
    ("stump shrinker", ("prosthetic shrinker",)),
    # Bathroom and bedroom equipment.
    ("shower chair", ("bath/shower chair", "tub stool or bench", "transfer bench")),
    ("bedside commode", ("commode chair",)),
    ("toilet riser", ("raised toilet seat",)),
    ("grab bar", ("bath tub wall rail", "toilet rail")),
    ("grabber", ("reaching/grabbing device",)),
    ("bedsore", ("pressure ulcers", "decubitus")),
    ("pressure sore", ("pressure ulcers", "decubitus")),
    ("bariatric", ("heavy duty", "extra wide")),
    # Walking aids, wheelchairs and lifts.
    ("walking stick", ("cane",)),
    ("rollator", ("walker",)),
    ("knee scooter", ("crutch substitute",)),
    ("w/c", ("wheelchair",)),
    ("power chair", ("power wheelchair",)),
    ("electric wheelchair", ("power wheelchair",)),
    ("scooter", ("power operated vehicle",)),
    ("foot rest", ("footrest", "footrests")),
    ("leg rest", ("legrest", "legrests")),
    ("legrest", ("leg rest", "leg rests")),
    ("anti-tippers", ("anti-tipping device",)),
    ("seat belt", ("safety belt", "positioning belt")),
    ("tyre", ("tire",)),
    ("hoyer lift", ("patient lift",)),
    ("lift chair", ("seat lift mechanism",)),
    # Breathing: oxygen, CPAP and BiPAP, nebulizers.
    ("o2", ("oxygen",)),
    ("oxygen tank", ("gaseous oxygen", "oxygen contents, gaseous")),
    ("oxygen machine", ("oxygen concentrator",)),
    ("nasal cannula", ("cannula, nasal",)),
    ("cpap", ("positive airway pressure",)),
    ("cpap machine", ("continuous positive airway pressure",)),
    ("cpap mask", ("full face mask", "oral/nasal mask", "nasal interface", "nasal mask")),
    ("bipap", ("bi-level", "respiratory assist device")),
    ("bipap machine", ("bi-level", "respiratory assist device")),
    ("bipap mask", ("full face mask", "oral/nasal mask", "nasal interface", "nasal mask")),
    ("nebulizer machine", ("nebulizer with compressor", "aerosol compressor")),
    ("breathing treatment", ("inhalation solution",)),
    ("suction machine", ("suction pump",)),
    ("pulse ox", ("oximeter",)),
    ("pulse oximeter", ("oximeter",)),
    ("cough assist", ("cough stimulating device",)),
    ("airway clearance vest", ("chest wall oscillation",)),
    ("incentive spirometer", ("spirometer",)),
    # Stimulators and other powered equipment.
    ("tens unit", ("transcutaneous electrical nerve stimulation",)),
    ("tens pads", ("electrical stimulator supplies",)),
    ("muscle stimulator", ("neuromuscular stimulator",)),
    ("e-stim", ("electrical stimulation", "electrical stimulator")),
    ("bone stimulator", ("osteogenesis stimulator",)),
    ("cpm machine", ("continuous passive motion",)),
    ("wearable defibrillator", ("automatic external defibrillator", "automated external defibrillator")),
    ("heating pad", ("heat pad",)),
    ("ice pack", ("ice cap", "cold wrap", "cold pad")),
    ("lymphedema pump", ("pneumatic compressor",)),
    ("ted hose", ("surgical stockings",)),
    ("support hose", ("gradient compression stocking", "surgical stockings")),
    # Diabetes.
    ("glucometer", ("blood glucose monitor",)),
    ("sugar", ("glucose",)),
    ("lancing device", ("device for lancet",)),
    ("insulin pump", ("infusion pump, insulin", "insulin delivery system")),
    # Ostomy, urology and feeding supplies.
    ("ostomy bag", ("ostomy pouch",)),
    ("colostomy bag", ("ostomy pouch",)),
    ("urostomy bag", ("ostomy pouch, urinary",)),
    ("ostomy wafer", ("skin barrier",)),
    ("urine bag", ("drainage bag",)),
    ("self cath", ("intermittent urinary catheter",)),
    ("condom catheter", ("male external catheter",)),
    ("female external catheter", ("female external urinary collection device",)),
    ("picc line", ("picc", "inserted peripherally")),
    ("central line", ("central venous catheter",)),
    ("feeding tube", ("gastrostomy/jejunostomy tube", "nasogastric tubing", "enteral feeding")),
    ("g-tube", ("gastrostomy/jejunostomy tube",)),
    ("peg tube", ("gastrostomy/jejunostomy tube",)),
    ("ng tube", ("nasogastric tubing",)),
    ("tube feeding", ("enteral feeding", "enteral formula", "enteral nutrition")),
    ("feeding pump", ("enteral nutrition infusion pump",)),
    ("tpn", ("parenteral nutrition",)),
    ("pull-ups", ("protective underwear", "pull-on")),
    ("chux", ("underpad", "underpads")),
    # Wound care.
    ("band-aid", ("adhesive bandage",)),
    ("ace bandage", ("light compression bandage",)),
    ("wound vac", ("negative pressure wound therapy",)),
    ("npwt", ("negative pressure wound therapy",)),
    ("skin glue", ("tissue adhesive",)),
    ("alcohol pads", ("alcohol wipes",)),
    # Other supplies, vision.
    ("breastfeeding", ("lactation", "breast pump")),
    ("birth control", ("contraceptive",)),
    ("iud", (
        "intrauterine contraceptive", "intrauterine copper contraceptive", "intrauterine system",
        "intrauterine device",
    )),
    ("eyeglasses", ("spectacle", "frames")),
    ("contacts", ("contact lens",)),
    ("lens implant", ("intraocular lens",)),
    # Drugs, vaccines and treatments in everyday words, and other names for the same drug.
    ("shot", ("injection", "vaccine")),
    # A "cortisone" or "steroid" shot into a joint is one of the corticosteroids CMS names.
    ("cortisone shot", ("triamcinolone", "methylprednisolone acetate", "betamethasone",
                        "dexamethasone sodium phosphate")),
    ("steroid shot", ("triamcinolone", "methylprednisolone acetate", "betamethasone",
                      "dexamethasone sodium phosphate")),
    # A "gel" shot into the knee is a hyaluronan (viscosupplement).
    ("gel shot", ("hyaluronan",)),
    ("viscosupplement", ("hyaluronan",)),
    ("flu", ("influenza",)),
    ("pneumonia vaccine", ("pneumococcal",)),
    ("hep b", ("hepatitis b",)),
    ("hep c", ("hepatitis c",)),
    ("iv", ("intravenous",)),
    ("dialysis", ("hemodialysis",)),
    ("pill", ("oral", "tablet")),
    ("steroid", ("corticosteroid",)),
    ("blood thinner", ("anticoagulant", "anti-coagulant")),
    ("anti-nausea", ("antiemetic", "anti-emetic")),
    ("dye", ("contrast material", "contrast agent")),
    ("sodium chloride", ("saline",)),
    ("b12", ("vitamin b-12", "cyanocobalamin")),
    ("hyaluronic acid", ("hyaluronan",)),
    ("immunoglobulin", ("immune globulin",)),
    ("ivig", ("immune globulin",)),
    ("tpa", ("alteplase",)),
    ("hcl", ("hydrochloride",)),
    ("alpha", ("alfa",)),
    ("adrenaline", ("epinephrine", "adrenalin")),
    ("paracetamol", ("acetaminophen",)),
    # Body parts in everyday words.
    ("kidney", ("renal",)),
    ("heart", ("cardiac",)),
    ("lung", ("pulmonary",)),
    ("eye", ("ocular", "ophthalmic")),
    ("big toe", ("great toe",)),
    # British spellings.
    ("sulphate", ("sulfate",)),
    ("haemodialysis", ("hemodialysis",)),
    ("haemoglobin", ("hemoglobin",)),
    ("anaemia", ("anemia",)),
    ("oesophageal", ("esophageal",)),
    ("orthopaedic", ("orthopedic",)),
    ("paediatric", ("pediatric",)),
    # One word that CMS also writes as two (the search itself joins two typed words CMS writes as one).
    ("nonemergency", ("non-emergency",)),
    ("noninvasive", ("non-invasive",)),
    ("healthcare", ("health care",)),
    ("xray", ("x-ray",)),
    ("postoperative", ("post-operative",)),
    ("preoperative", ("pre-operative",)),
    # Transport.
    ("ride", ("transportation", "ambulance")),
    ("ambulette", ("wheelchair van",)),
    ("gurney", ("stretcher",)),
    ("helicopter", ("rotary wing",)),
    # Places and people.
    ("er", ("emergency department", "emergency room")),
    ("emergency room", ("emergency department",)),
    ("doctor", ("physician",)),
    ("nursing home", ("nursing facility",)),
    ("surgery center", ("ambulatory surgical center",)),
    ("meals on wheels", ("home delivered meals",)),
    ("translator", ("interpretive services",)),
    # Visits, screenings and tests.
    ("physio", ("physical therapy", "physical therapist")),
    ("physiotherapy", ("physical therapy", "physical therapist")),
    ("speech therapist", ("speech-language pathologist",)),
    ("annual physical", ("annual wellness visit", "initial preventive physical examination")),
    ("welcome to medicare", ("initial preventive physical examination",)),
    ("awv", ("annual wellness visit",)),
    ("ippe", ("initial preventive physical examination",)),
    ("mammogram", ("mammography",)),
    ("pap test", ("papanicolaou",)),
    ("colon cancer", ("colorectal cancer",)),
    ("stool test", ("fecal occult blood", "stool-based")),
    ("blood draw", ("venipuncture", "collection of venous blood")),
    ("ct scan", ("computed tomography",)),
    ("cat scan", ("computed tomography",)),
    ("mri", ("magnetic resonance",)),
    ("pet scan", ("positron emission tomography",)),
    ("ekg", ("ecg", "electrocardiogram")),
    ("sonogram", ("ultrasound",)),
    ("dexa", ("dual-energy x-ray absorptiometry", "dxa")),
    ("nutrition counseling", ("medical nutrition therapy",)),
    ("diabetes education", ("self-management training",)),
    ("quit smoking", ("smoking cessation", "tobacco cessation")),
    ("substance abuse", ("substance use", "alcohol and/or drug")),
    ("addiction", ("substance use disorder", "substance abuse")),
    ("methadone clinic", ("opioid treatment program",)),
    # What modifiers say, asked for the way coders ask.
    ("rented", ("rental",)),
    ("new dme", ("new equipment",)),
    ("left sided", ("left side",)),
    ("right sided", ("right side",)),
    ("both sides", ("bilateral",)),
    ("telehealth", ("telemedicine", "telecommunication", "telecommunications")),
    ("virtual visit", ("virtual check-in", "telehealth", "telemedicine")),
    ("phone visit", ("telephone", "audio-only")),
    ("waiver", ("waiver of liability",)),
    ("abn", ("advance beneficiary notice", "waiver of liability", "notice of liability")),
    ("distinct procedural service", (
        "separate encounter", "separate structure", "separate practitioner",
        "unusual non-overlapping service",
    )),
    ("not medically necessary", ("not reasonable and necessary",)),
    ("waste", ("drug amount discarded",)),
    ("locum tenens", ("fee-for-time compensation",)),
    ("assistant surgeon", ("assistant at surgery",)),
    ("e/m", ("evaluation and management",)),
    ("postop", ("postoperative", "post-operative")),
    ("preop", ("preoperative", "pre-operative")),
    ("clinical trial", ("clinical research study",)),
    ("separate session", ("separate encounter",)),
    ("different session", ("separate encounter",)),
    ("separate site", ("separate structure",)),
    ("different site", ("separate structure",)),
    ("separate organ", ("separate structure",)),
    ("different provider", ("separate practitioner",)),
    ("daily rental", ("partial month",)),
    ("prorated rental", ("partial month",)),
    ("wasted", ("drug amount discarded",)),
    ("no waste", ("zero drug amount discarded",)),
)
