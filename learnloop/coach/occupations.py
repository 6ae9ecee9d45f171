"""Which nouns name a person at work (issue 18, round 4; decision 0226).

The blame rules only read a slip as blame when its subject is a person, so a role noun the
engine does not know ("the farmhand", "our physio") silences them. Two general sources
replace per-sentence lists:

* ``OCCUPATIONS``: a general occupation list written from knowledge, sector by sector
  (trades, care, transport, food, land and sea, arts and media, office, public service, ...).
  It was not drawn from any evaluation set.
* Morphology (``agentive``): compounds whose head names a person (-hand, -man, -woman,
  -person, -worker, -keeper, -smith, -wright, -monger) and agentive suffixes that almost
  always name people (-ist, -ician, -ologist, -grapher, -eer, -ee), with exceptions for the
  words that merely end that way ("checklist", "human", "committee").
* Weak agentives (``weak_agentive``): an -er/-or word ("the cellarer", "the sorter") is a
  person only where the syntax says so (engine/sentence.py: a determiner before it, an act
  verb or "on duty" after it), and never when it names equipment or software
  (``DEVICE_NOUNS``: "the scheduler", "the controller", "the router", "the server").
"""

from __future__ import annotations

import re

from learnloop.coach.lexicon import words

OCCUPATIONS = frozenset(
    w
    for w in words("""
    vet vets veterinarian farmer farmhand shepherd herdsman stockman rancher grower gardener
    groundskeeper greenkeeper landscaper arborist forester ranger gamekeeper beekeeper
    fisherman fisher trawlerman deckhand skipper bosun boatswain helmsman navigator
    lookout stevedore docker longshoreman harbourmaster ferryman lifeguard diver
    miner collier shotfirer driller geologist surveyor quarryman roughneck
    roustabout welder rigger scaffolder steeplejack roofer plasterer glazier tiler bricklayer
    joiner chippy sparky plumber pipefitter fitter turner toolmaker millwright boilermaker
    riveter painter decorator upholsterer locksmith blacksmith farrier saddler cobbler
    tailor seamstress dressmaker weaver dyer tanner printer's  typesetter bookbinder
    librarian archivist curator conservator docent registrar historian
    physio physiotherapist osteopath chiropractor podiatrist chiropodist optometrist
    orthodontist audiologist dietitian dietician nutritionist psychologist psychiatrist
    counsellor psychotherapist carer caregiver careworker childminder nanny au-pair
    babysitter practitioner orderly porter's ward-clerk matron sister charge-nurse
    healthcare-assistant paramedic's pharmacist technologist embalmer undertaker mortician
    chaplain vicar priest pastor rabbi imam minister verger sexton
    teacher's teaching-assistant lecturer invigilator examiner proctor
    headteacher's caretaker's lunchtime-supervisor
    chef sous-chef commis cook's baker butcher fishmonger greengrocer grocer brewer distiller
    cellarer maltster vintner sommelier barman barmaid barback bartender's
    kitchen-porter caterer waiter's hostess maitre concierge bellhop
    doorman porter valet housekeeper's chambermaid laundress
    driver's trucker lorry-driver haulier courier's rider cyclist motorcyclist chauffeur
    cabbie taxi-driver busman bus-driver conductor's guard's signaller signalman shunter
    trackworker platelayer ticket-inspector stationmaster flagger banksman crane-driver
    forklift-driver order-picker warehouseman storeman quartermaster
    firefighter fireman firewoman watch-manager dispatcher's call-handler
    policeman policewoman constable sergeant detective's warden jailer prison-officer
    bailiff coroner magistrate juror clerk's notary conveyancer caseworker social-worker
    probation-officer inspector's
    cashier's shopkeeper shop-assistant checkout-operator merchandiser's florist jeweller
    jeweler optician's pharmacist's barber hairdresser stylist colourist beautician
    manicurist masseur masseuse tattooist
    actress dancer singer musician drummer guitarist bassist pianist violinist
    cellist conductor's composer choreographer director's stagehand stage-manager
    prompter usher projectionist cameraman camerawoman camera-operator
    photographer videographer editor's animator illustrator cartoonist sculptor artist
    producer's presenter broadcaster announcer newsreader columnist correspondent
    copyeditor proofreader subeditor publicist
    accountant's auditor's actuary clerk bookkeeper's cashier teller's loan-officer
    underwriter's economist statistician analyst's programmer's webmaster sysadmin's
    tester's engineer's technician's mechanic's electrician's
    referee umpire linesman coach's trainer's physio's groundsman kitman steward's
    secretary receptionist's typist stenographer transcriber interpreter's translator's
    courier messenger postman postwoman postie mailman sorter's
    fumigator cleaner's window-cleaner binman refuse-collector
    handyman repairman serviceman installer's engineer-on-call
    soldier sailor airman officer's cadet recruit sentry
    astronaut cosmonaut aviator aircrew cabin-crew purser flight-attendant
    dentist's hygienist's dental-nurse surgeon's anaesthetist's midwife's nurse's
    locum's registrar's consultant's houseman's
    """)
    if "'" not in w
)

# Equipment, vehicles and software whose names end like agent nouns: never a person.
DEVICE_NOUNS = frozenset(
    w
    for w in words("""
    scheduler controller router server computer printer scanner compressor generator
    transformer motor rotor sensor detector monitor indicator regulator actuator
    accelerator elevator escalator ventilator incubator refrigerator radiator condenser
    evaporator boiler heater cooler chiller freezer dryer drier washer dishwasher mixer
    blender grinder crusher shredder chipper chopper cutter slicer planer sander drill
    trimmer mower tractor trailer harvester forwarder skidder loader's excavator digger
    dozer bulldozer grader roller paver spreader sprayer seeder planter baler feeder
    conveyor sorter's elevator's separator centrifuge fermenter fermentor filter strainer
    container tanker freighter steamer carrier's tender lighter cruiser destroyer fighter's
    bomber helicopter propeller thruster booster launcher rover lander orbiter transponder
    receiver's transmitter amplifier speaker woofer tweeter adapter adaptor connector
    converter inverter rectifier charger battery breaker switcher splitter repeater
    extender modem buffer register counter timer meter barometer thermometer odometer
    tachometer altimeter calculator processor coprocessor emulator simulator compiler
    interpreter's linker loader parser lexer tokenizer tokeniser renderer browser crawler
    spider scraper poller dispatcher's listener handler's worker's consumer producer
    publisher subscriber provider resolver balancer load-balancer proxy-server forwarder's
    exporter importer collector aggregator allocator orchestrator operator's supervisor's
    launcher's installer updater uploader downloader debugger profiler formatter linter
    minifier bundler transpiler builder's runner executor iterator enumerator validator
    sanitizer sanitiser encoder decoder encryptor decryptor compressor's archiver
    container's docker cluster's manager's tracker finder picker's viewer editor's
    player recorder camera projector shutter blower fan's heater's humidifier
    dehumidifier purifier ioniser ionizer atomiser atomizer injector ejector extractor
    dispenser vending-machine locker drawer folder binder stapler shredder's pager beeper
    buzzer clicker marker's pointer cursor header footer banner trailer's sticker
    tower router's switch's hammer spanner screwdriver wrench lever gear coffeemaker
    icemaker breadmaker walkman filler logger labeler labeller reminder capper sealer wrapper
    stamper embosser plotter laminator digitiser digitizer tagger stacker sweeper marker
    governor starter stopper
    """)
    if "'" not in w
)

# Words that merely end like an agent noun.
_NOT_AGENTIVE = words("""
    human humans german germans roman romans woman's shaman ottoman caiman talisman
    beforehand firsthand secondhand offhand backhand forehand underhand shorthand longhand
    freehand upperhand
    list lists checklist checklists playlist wishlist blacklist whitelist allowlist
    denylist shortlist waitlist tasklist wrist mist twist fist gist assist exist insist
    persist resist consist subsist desist whist midst amidst tryst heist joist moist hoist
    foist
    median meridian debian fabian bayesian gaussian hessian lesbian
    committee guarantee jamboree pedigree chimpanzee jubilee filigree dungaree fricassee
    marquee degree decree agree disagree pedigree
    career veneer actor actors
    water paper order number letter layer weather winter summer center centre river border
    quarter corner matter chapter mirror factor sector vector error floor door color colour
    other another either neither whether rather together however never ever over under after
    later better power shower cover liner cancer fever finger shoulder silver copper rubber
    leather lumber timber plaster parameter diameter perimeter character temper pepper butter
    ladder rudder feather litre liter metre meter theatre theater fibre fiber calibre caliber
    honor honour labor labour vapor vapour terror manor minor major tenor meteor interior
    exterior anterior posterior superior inferior prior favor favour humor humour rumor rumour
    harbor harbour odor odour flavor flavour behavior behaviour error's member partner
    number's filter water's lower higher bigger smaller larger longer shorter older newer
    earlier faster slower easier harder greater fewer wider deeper cheaper safer closer
    further farther sooner quicker louder weaker stronger warmer cooler colder hotter
    wetter drier tighter looser heavier lighter clearer thinner thicker
    """)

_AGENT_COMPOUND = re.compile(
    r"^[a-z][a-z\-]{2,}(?:hand|man|men|woman|women|person|people|worker|keeper|smith"
    r"|wright|monger|minder|master|fighter|maker|rider)s?$"
)
_AGENT_SUFFIX = re.compile(
    r"^[a-z\-]{3,}(?:ist|ician|ologist|grapher|iatrist|eer|ee|ier)s?$"
    r"|^[a-z\-]{4,}(?:ian)s?$"
)
# -ier words name things as often as people ("carrier", "barrier", "tier", "supplier").
_IER_PEOPLE = words("cashier cashiers courier couriers farrier farriers hotelier clothier")
_WEAK = re.compile(r"^[a-z][a-z\-]{2,}(?:er|or)s?$")


def _singular(w: str) -> str:
    if w.endswith("men"):
        return w[:-3] + "man"
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def occupation(w: str) -> bool:
    """Is the lower-case word ``w`` (or its plural) in the general occupation list?"""
    return w in OCCUPATIONS or _singular(w) in OCCUPATIONS


def device(w: str) -> bool:
    """Does the lower-case word name equipment or software ("the scheduler", "routers")?"""
    return w in DEVICE_NOUNS or _singular(w) in DEVICE_NOUNS


def agentive(w: str) -> bool:
    """A person noun by its form alone: "farmhand", "cataloguists", "auctioneer"."""
    if w in _NOT_AGENTIVE or _singular(w) in _NOT_AGENTIVE or device(w):
        return False
    if _AGENT_COMPOUND.match(w):
        return True
    if not _AGENT_SUFFIX.match(w):
        return False
    if w.endswith(("ier", "iers")):
        return w in _IER_PEOPLE
    return not w.endswith(("ee", "ees")) or len(_singular(w)) >= 7


def weak_agentive(w: str) -> bool:
    """An -er/-or word that can name a person when the syntax says so."""
    return len(w) >= 5 and bool(_WEAK.match(w)) and not device(w) and w not in _NOT_AGENTIVE


def new_role(w: str) -> int:
    """A person noun the role list does not hold (decision 0226): 1 by the occupation list or
    its form ("farmhand", "aquarist"), 2 an -er/-or word that is a person only where the
    syntax says so ("the sorter ... dropped"), 0 otherwise (and always 0 for equipment or
    software: "the scheduler", "the router")."""
    if device(w):
        return 0
    if occupation(w) or agentive(w):
        return 1
    return 2 if weak_agentive(w) else 0


# After a weak agent noun, words that make it the doer of an act ("the sorter dropped",
# "the feller who", "the grader on shift"); copulas are left out ("the heater was off").
COPULA = words("is was are were be been being")
# Verbs that machines do as often as people: no evidence of a doer on their own.
MACHINE_VERBS = words(
    "ran runs sent sends logged logs closed closes opened opens changed changes broke breaks "
    "lost went goes got gets held fell set sets shipped ships deployed deploys booked books "
    "put puts kept keeps let lets again alone"
)
ON_DUTY = words("duty shift call watch rota nights days")


# Role words that name a program or a device as often as a person: a machine after a thing
# noun ("the job scheduler", "the route planner") or in a sentence about machines ("tripped",
# "nightly", "config"), unless a neighbour marks a person ("our controller", "the night
# scheduler", "the planner who", "the controller forgot").
DEVICE_ROLES = words("scheduler controller planner installer")
PERSON_MARKS = words(
    "our my his her their your new night day shift senior junior financial finance head chief "
    "lead assistant deputy duty relief trainee regional production project"
)
PERSON_ONLY_VERBS = words(
    "forgot decided told said assumed thought ignored refused chose promised wanted knew "
    "admitted agreed approved signed typed clicked misread emailed phoned called who"
)
DEVICE_CONTEXT = re.compile(
    r"\b(?:tripp?(?:ed|ing|s)?|cron|nightly|export|config\w*|firmware|degrees|volts?|voltage"
    r"|valves?|relays?|pumps?|motors?|sensors?|setpoints?|packets?|timed out|time-?outs?"
    r"|restart\w*|reboot\w*|crash\w*|hung|stalled|retr(?:y|ied|ies)|polls?|polled|thread"
    r"|process(?:es)?|daemon|binary|install(?:ed|ing|s)?\b|jobs?|batch|queues?|fired|loops?)\b",
    re.IGNORECASE,
)
