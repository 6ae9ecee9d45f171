"""Word lists used by the blame engine.

They describe *kinds* of words (people and roles, state verbs, trait
judgments), not phrases from any evaluation set. Keeping them apart from the
rules makes it easy to extend them for a new domain without touching logic.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A frozen set of the whitespace-separated words of ``text`` (readable word lists)."""
    return frozenset(text.split())


_words = words

# Roles and groups that refer to people. Plurals are derived in engine/person_words.py (is_role).
ROLES = _words("""
    on-call oncall on-caller engineer developer dev deployer operator nurse doctor physician
    surgeon anesthetist anaesthetist anesthesiologist radiologist resident locum pharmacist
    phlebotomist technician tech receptionist clerk agent rep representative ae sdr bdr csm am
    manager lead intern hire newbie contractor reviewer approver bookkeeper accountant
    controller teacher substitute professor advisor adviser officer welder picker packer driver
    dispatcher crew team shift staff staffer employee worker guy gal person people someone
    somebody anyone anybody whoever nobody everyone everybody dba sre admin administrator
    sysadmin analyst consultant supervisor foreman forewoman inspector auditor cashier teller
    instructor tutor lecturer assistant aide medic paramedic midwife therapist specialist
    associate salesperson salesman saleswoman seller closer recruiter coordinator planner
    scheduler executive director leadership management mechanic electrician fitter machinist
    maintainer janitor cleaner guard porter registrar scientist researcher designer programmer
    coder tester qa ops payroll finance support sales legal procurement hr colleague coworker
    co-worker teammate responder deployer committer author owner clinician doc dev-team vendor
    courier loader handler buyer merchandiser stocker receiver shipper storekeeper chef cook
    waiter waitress bartender barista housekeeper caretaker detective counselor counsellor
    principal dean headteacher trainer trainee apprentice student pupil customer client user
    patient caller requester reporter submitter installer plumber carpenter builder
    contractor subcontractor surveyor estimator underwriter adjuster banker broker trader
    treasurer bursar cfo ceo cto coo vp svp evp founder boss chief captain pilot copilot
    steward stewardess attendant conductor dispatch crewmember lineman linesman mason
    nursing-assistant hca cna rn md np pa emt dentist hygienist optician sonographer
    radiographer anesthesia surgeon's registrar houseman intern's doctor's pharmacist's
    agent's buyer's planner's admin's staffer's guard's kid kids parent parents guardian
    volunteer moderator editor writer journalist translator interpreter paralegal lawyer
    attorney solicitor barrister judge clerk's marketer copywriter pm po tpm em architect
    integrator implementer onboarder csr cs se sa solutions-engineer specialist's payable
    receivable department dept ta gta folks treasury accounting admissions marketing
    engineering facilities housekeeping lpn crna gp hcp biller coder cashier's ops-team
    chair chairperson chairman chairwoman provost superintendent headmaster headmistress
    deputy
    """)

PRONOUNS = _words("i you he she they we me him her them us")
SUBJECT_PRONOUNS = _words("i you he she they we")
INDEFINITE = _words("someone somebody anyone anybody whoever nobody everyone everybody no-one")

# Words that never start a person's name even when capitalised.
COMMON_CAPS = _words("""
    the a an this that these those our their his her its my your we i you he she they it
    there here when while after before during since until if then and but or so because as
    at on in by for from to with without of into over under between about above below
    what why how who which where whose whom is was are were be been being do does did has
    have had will would should could can may might must shall not no yes all any some each
    every both either neither one two three four five six seven eight nine ten first second
    third last next new old monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december q1 q2 q3
    q4 action actions follow-up followup todo note notes summary impact timeline root cause
    findings finding result results lesson lessons learnings learning please thanks thank
    looking honestly frankly obviously clearly simply just also again still even only
    however therefore meanwhile overall later earlier today yesterday tomorrow tonight
    morning evening night week month year customers customer users user patients patient
    students student staff team teams everyone nobody someone anyone everything nothing
    something anything most many few several half none more less per according asked
    let lets let's starting going moving given once twice never always sometimes often
    usually around approximately about whoever ok okay yes no maybe perhaps instead rather
    step steps item items mobile release version service services api dns cdn crm kafka
    redis postgres mysql aws gcp azure linux windows android ios slack zoom jira github
    gitlab english spanish french german eu us uk emea apac east west north south
    due recovery delivery discovery inventory history memory directory
    """)

# Verbs that describe a state or perception rather than an action a person omits.
STATE_VERBS = _words("""
    have has had know knew see saw hear heard get got receive received exist work apply show
    say said include mean meant need needed seem appear feel felt think thought expect
    expected want wanted understand understood remember recall match matched fit belong own
    hold contain require
    """)

# Things, not people: after a role word they make it a modifier ("the vendor renewal reminder").
SYSTEM_NOUNS = _words("""
    reminder reminders alert alerts job jobs service services system systems tool tools script
    scripts form forms page pages report reports dashboard dashboards queue queues server
    servers database databases pipeline pipelines portal app apps api check checks sensor
    sensors pump pumps printer printers scanner scanners template templates checklist runbook
    process policy schedule email emails ticket tickets account accounts order orders renewal
    renewals file files export import sync batch cache config flag flags deploy release build
    test tests suite monitor alarm alarms log logs screen screens field fields button machine
    conveyor device model rule rules workflow integration update change changes portal's
    rota rotation calendar inbox mailbox channel phone pager handbook guide doc docs manual
    """)

# Character/trait judgments (adjectives and nouns).
TRAIT_WORDS = (
    r"careless(?:ly|ness)?|negligen(?:t|tly|ce)|lazy|laziness|lazily|sloppy|sloppily|sloppiness"
    r"|incompeten(?:t|ce|tly)|reckless(?:ly|ness)?|unprofessional(?:ism)?|irresponsible"
    r"|irresponsibility|clueless|scatterbrained|disorgani[sz]ed|inattentive|arrogan(?:t|ce)"
    r"|useless|hopeless|slack(?:er|ers)|lackadaisical|cavalier|complacen(?:t|cy)|apathetic"
    r"|indifferent|sloth(?:ful)?|dim-witted|dimwit(?:ted)?|idiot(?:ic|s)?|stupid(?:ity)?|dumb"
    r"|moron(?:ic|s)?|inept(?:itude)?|feckless|absent-minded|half-hearted|unreliable"
    r"|untrustworthy|dishonest|rude(?:ness)?|lax|inattention|inattentiveness"
)
