"""A hand-written lexicon of failure mechanisms, and ``concepts_for(text)``.

Why: incident reports describe *symptoms* in their own words ("the CA reached the end of its
validity window", "every client reconnected within a minute"), while the write-up that
would help uses other words ("certificate expired", "thundering herd"). Word matching
misses these pairs. The lexicon maps many wordings of one general operations mechanism to
one concept token, which is indexed in its own column and added to queries, so a full-text
engine can match on the mechanism rather than on the words.

The vocabulary is general SRE/operations knowledge, written by hand; it is not derived from
any evaluation query or corpus document, and it has no per-document or per-query rules.
Concepts are deliberately *atomic* (``expiry`` and ``tls`` rather than one
``tls-certificate-expiry``): a match on several atomic concepts is what makes a
suggestion specific, and atomic concepts generalise to incidents nobody wrote down yet.

Pattern syntax (matched on stemmed tokens from :func:`learnloop.search.text.stem`, stop
words kept so that phrases stay literal):

- ``"leap second"``: a contiguous phrase;
- ``"expir*"``: a prefix of a stemmed token;
- ``"cert* ~ expir*"``: both parts within ``WINDOW`` tokens of each other, in any order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .text import stem, words

#: Max distance (in tokens) between the parts of a ``a ~ b`` pattern.
WINDOW = 8

#: concept id -> (human label, weight, patterns). Weight ~ how specific the mechanism is.
LEXICON: dict[str, tuple[str, float, tuple[str, ...]]] = {
    # --- changes and how they spread -------------------------------------------------
    "config": ("configuration change", 0.6, (
        "config*", "misconfig*", "setting*", "parameter*", "feature flag*", "flag flip*",
        "toggle*", "yaml", "json file", "option* change*", "tweak*", "tuning", "knob*",
        "rule* ~ chang*", "value ~ chang*",
    )),
    "global_rollout": ("change pushed everywhere at once", 1.2, (
        "global* ~ push*", "global* ~ deploy*", "global* ~ rollout", "global* ~ roll* out",
        "global* ~ propagat*", "propagat*", "all region*", "every region", "all location*",
        "every location", "all data center*", "all datacenter*", "every data center",
        "all site*", "fleet wide", "fleetwide", "worldwide", "world wide", "all at once",
        "everywhere at once", "simultaneous*", "all server* at once", "every frontend*",
        "all frontend*", "every edge", "all edge*", "every pop", "all pop*", "spread to every*",
        "spread to all", "push* to all", "push* to every*", "across the fleet",
        "entire fleet", "whole fleet", "all node*", "every node", "every host", "all host*",
        "distributed to", "instantly", "within minutes ~ every*", "in every environment",
        "every environment", "all environment*",
    )),
    "deploy": ("deployment or release", 0.7, (
        "deploy*", "release*", "rollout*", "roll* out", "rolled out", "ship*", "push* ~ code",
        "new version*", "upgrade*", "update*", "canary", "staged", "stage*", "code change*",
        "binary", "build* ~ push*", "hotfix*", "patch*",
    )),
    "rollback": ("rollback / revert", 0.8, (
        "roll* back", "rollback*", "revert*", "back* out", "backed it out", "undo*", "undid",
        "previous version", "last known good", "known good", "restore* ~ previous",
        "moved traffic back", "switch* back",
    )),
    "manual_step": ("manual step / human procedure", 1.0, (
        "manual*", "by hand", "hand run", "hand-run", "hand edit*", "runbook*", "playbook*",
        "checklist*", "procedure*", "human error", "operator error", "typo*", "fat finger*",
        "mistyp*", "wrong command", "incorrect command", "ran ~ command", "command ~ input*",
        "step ~ miss*", "skip* ~ step", "forgot*", "forgotten", "never turned off",
        "left on", "left enabled", "engineer ~ mistak*",
    )),
    "console_drift": ("change made outside code review / config drift", 1.4, (
        "console", "out of band", "out-of-band", "drift*", "infrastructure as code",
        "infrastructure-as-code", "terraform", "manual change*", "click* ~ console",
        "unreviewed", "without review", "bypass* ~ review", "not ~ through ~ review",
        "ad hoc", "ad-hoc",
    )),
    "automation": ("automation / script / tool acting at scale", 0.8, (
        "automat*", "script*", "tool*", "bot", "bots", "cron*", "scheduled job*",
        "daemon*", "housekeep*", "reaper", "sweep*", "controller", "orchestrat*",
        "went haywire", "runaway", "run away", "haywire", "misbehav*", "auto*",
    )),
    "deletion": ("data or resources deleted", 1.2, (
        "delet*", "removal", "remov*", "wipe*", "wiping", "purg*", "truncat*", "drop table",
        "drop* ~ database", "rm rf", "tore down", "tear* down", "torn down", "teardown",
        "decommission*", "deprovision*", "terminat* ~ instance*", "terminat* ~ server*",
        "clean up", "cleanup", "clean-up", "destroy*", "erase*", "gone", "disappear*",
        "lost data", "data loss", "abandon*", "unused", "orphan*", "garbage collect*",
    )),
    # --- time --------------------------------------------------------------------------
    "expiry": ("expiry / validity ran out", 1.3, (
        "expir*", "lapse*", "validity", "valid until", "not after", "end of ~ valid*",
        "renew*", "rotat* ~ cert*", "rotat* ~ key*", "rotat* ~ secret*", "stale",
        "ran out", "run out", "outdated", "out of date", "ttl", "time to live", "timebomb",
        "time bomb",
    )),
    "clock": ("time, clock, calendar or leap second", 1.6, (
        "leap second*", "leap year*", "leap day", "clock*", "time zone*", "timezone*",
        "daylight saving*", "dst", "ntp", "time skew", "time sync*", "time went backward*",
        "time goes backward*", "time never goes backward*", "backward* ~ time",
        "midnight", "new year*", "1 january", "january 1", "february 29", "feb 29",
        "29 february", "year 2038", "y2k", "epoch", "monotonic", "calendar",
        "date ~ rollover", "date ~ roll* over", "end of ~ month", "end of ~ year",
        "utc ~ offset", "00 00", "time ~ arithmetic", "date ~ arithmetic", "date ~ bug",
        "time ~ bug", "date ~ format*", "week number*",
    )),
    # --- security and identity ---------------------------------------------------------
    "tls": ("TLS / certificates", 1.4, (
        "tls", "ssl", "cert", "certs", "certificat*", "x509", "x 509", "handshake*",
        "certificate authorit*", "ca ~ cert*", "root ca", "intermediate ca", "ca ~ expir*",
        "ca ~ valid*", "pki", "mtls", "mutual tls", "https", "chain of trust",
        "trust store", "truststore", "ocsp", "crl", "lets encrypt", "letsencrypt",
        "issuing ~ ca", "identit* ~ issu*", "sidecar* ~ identit*",
    )),
    "credentials": ("credentials, keys and authentication", 1.1, (
        "credential*", "password*", "passwd", "secret*", "token*", "api key*", "access key*",
        "private key*", "signing key*", "ssh key*", "keypair*", "key pair", "auth",
        "authent*", "authori*", "unauthori*", "401", "login*", "log in", "sign in",
        "signin", "sign-in", "signed in", "sso", "oauth", "saml", "kerberos", "vault",
        "service account*", "without credential*", "keychain", "keytab",
    )),
    "access_control": ("permissions, access rules and firewalls", 1.1, (
        "permission*", "grant*", "acl", "acls", "access control*", "access rule*",
        "firewall*", "security group*", "iam", "role* ~ polic*", "polic* ~ chang*",
        "least privilege", "access review*", "network rule*", "allowlist*", "whitelist*",
        "blocklist*", "blacklist*", "denylist*", "deny rule*", "locked out", "lock* out",
        "lockout", "access denied", "403", "forbidden", "privilege*", "tighten*",
        "hardening", "harden*", "request filter*", "filter* rule*", "waf",
    )),
    "security_breach": ("security breach / leaked secret / attacker", 1.5, (
        "attack*", "breach*", "compromis*", "intru*", "malicious*", "malware", "phish*",
        "exfiltrat*", "stolen", "steal*", "hack*", "leak* ~ secret*", "leak* ~ credential*",
        "leak* ~ password*", "leak* ~ key*", "leak* ~ token*", "exposed ~ credential*",
        "exposed ~ key*", "exposed ~ secret*", "public ~ repo*", "unauthorized access",
        "unauthorised access", "second factor", "2fa", "mfa", "two factor",
        "supply chain", "package index", "package registry", "typosquat*", "backdoor*",
        "rogue", "impersonat*", "vulnerab*", "exploit*", "cve", "ddos", "denial of service",
        "botnet", "ransomware", "forgotten repo*", "old repo*", "reused ~ password*",
        "password reuse", "incident response",
    )),
    "data_exposure": ("users saw other users' data", 1.6, (
        "other user*", "another user*", "other customer*", "another customer*",
        "wrong user*", "wrong account*", "wrong customer*", "stranger*", "someone else*",
        "cross tenant", "cross-tenant", "other tenant*", "privacy", "data exposure",
        "exposed ~ data", "personal data", "pii", "session* ~ mix*", "mixed up ~ session*",
        "saw ~ other*", "see ~ other*", "read ~ other*", "access ~ other* ~ data",
        "belonging to", "information disclosure", "disclos*",
    )),
    "hash_collision": ("hash or checksum collision", 1.6, (
        "sha 1", "sha1", "md5", "hash collision*", "collision*", "checksum*", "hash*",
        "dedup*", "duplicate ~ hash*",
    )),
    # --- names and networks ------------------------------------------------------------
    "dns": ("DNS / name resolution", 1.5, (
        "dns", "name service", "name server*", "nameserver*", "resolver*", "resolv*",
        "name resolution", "name lookup*", "hostname*", "host name*", "look up ~ host*",
        "lookup* ~ fail*", "look up ~ fail*", "lookups", "nxdomain", "servfail",
        "domain name*", "dns record*", "zone file*", "coredns", "dnsmasq", "bind9",
        "route 53", "route53", "hosts file", "etc hosts", "cname", "alias record*",
        "recursive ~ resolv*", "authoritative", "registrar", "domain ~ expir*",
        "name daemon", "failed-name", "failed name",
    )),
    "routing": ("BGP / network routing", 1.5, (
        "bgp", "route*", "routing", "router*", "advertis*", "announc* ~ prefix*",
        "announc* ~ route*", "prefix*", "as path", "peer*", "best path", "best way to reach",
        "blackhol*", "black hol*", "withdraw*", "next hop", "ospf", "is-is", "isis",
        "traffic engineering", "backbone", "core device*", "core router*", "core switch*",
        "long haul", "long-haul", "transit", "anycast", "ecmp", "path selection",
        "local pref*", "higher priority ~ path*", "traffic ~ converg*", "circuit*",
        "network engineer*", "wan", "mpls",
    )),
    "partition": ("network partition / connectivity loss", 1.3, (
        "partition*", "network split", "isolat*", "link cut", "fiber cut", "fibre cut",
        "cut ~ fib*", "lost connectivity", "loss of connectivity", "connectivity ~ los*",
        "connectivity ~ lost", "network ~ outage", "link ~ fail*", "link ~ down",
        "packet loss", "unreachable", "cannot reach", "couldn t reach", "could not reach",
        "between ~ site*", "between ~ data center*", "inter site", "cross site",
        "cross region", "cross-region", "fiber*", "fibre*", "optic*", "cable*",
        "network ~ equipment", "network ~ maintenance", "switch ~ fail*",
        "40 second", "brief* ~ isolat*", "flap*",
    )),
    "load_balancer": ("load balancer, proxy and health checks", 1.2, (
        "load balanc*", "loadbalanc*", "lb", "elb", "alb", "proxy*", "proxies",
        "reverse proxy", "haproxy", "envoy", "nginx", "health check*", "healthcheck*",
        "health-check*", "liveness", "readiness", "probe*", "unhealthy", "healthy",
        "out of rotation", "in rotation", "drain*", "mark* ~ down", "declar* ~ unavailable",
        "declar* ~ down", "backend*", "frontend*", "upstream*", "pool member*",
        "edge server*", "edge node*", "edge box*", "edge proxy*", "cdn",
    )),
    # --- databases -----------------------------------------------------------------------
    "database": ("database", 0.6, (
        "database*", "db", "dbs", "sql", "mysql", "postgres*", "mariadb", "oracle", "mongo*",
        "cassandra", "redis", "dynamo*", "spanner", "query", "queries", "table*", "schema*",
        "row*", "shard*", "primary", "replica*", "transaction*", "index*", "rdbms",
        "datastore", "data store",
    )),
    "failover": ("failover / primary switchover / split brain", 1.5, (
        "failover*", "fail over", "failed over", "fails over", "promot*", "new primary",
        "new master", "switchover", "switch over", "switched over", "split brain",
        "split-brain", "leader election*", "elect*", "standby", "hot standby",
        "secondary", "demot*", "cutover", "cut over", "primary ~ restart*",
        "primary ~ fail*", "master ~ fail*", "orchestrator", "automatic ~ promot*",
        "disaster recovery", "dr site", "other side", "both sides",
    )),
    "replication": ("replication lag / divergence", 1.5, (
        "replicat*", "replica*", "replication lag", "lag*", "binlog*", "wal", "write ahead",
        "out of sync", "diverg*", "inconsisten*", "reconcil*", "conflict*", "merge*",
        "unreplicated", "data drift", "catch up", "caught up", "resync*", "re-sync*",
        "behind", "stale read*", "eventual consisten*",
    )),
    "consensus": ("consensus / quorum / coordination service", 1.6, (
        "quorum", "majority", "consensus", "zookeeper", "etcd", "raft", "paxos", "consul",
        "chubby", "coordination ~ service*", "coordination layer", "coordinator*",
        "ensemble", "lost ~ majority", "lost ~ quorum", "leader", "service discovery",
        "service registry", "registry ~ lost", "discovery service", "locate ~ peer*",
        "membership",
    )),
    "sequence_ids": ("IDs, counters and sequences", 1.5, (
        "auto increment*", "autoincrement*", "auto_increment", "sequence*", "counter*",
        "primary key*", "next id", "id ~ collision*", "duplicate ~ id*", "ids", "identifier*",
        "numbering", "number* ~ account*", "reused ~ id*", "id* ~ reus*", "id* ~ skip*",
        "skip* ~ number*", "jump*", "gap*", "reference number*", "ticket id*",
        "next ~ number", "came back ~ behind", "serial*",
    )),
    "overflow": ("integer overflow / wraparound / counter exhaustion", 1.8, (
        "overflow*", "integer overflow", "32 bit", "32-bit", "int32", "int", "integer*",
        "2147483647", "max int", "maximum value", "wraparound", "wrap around", "wrapped",
        "wraps", "xid", "transaction id*", "transaction number*", "vacuum*", "freez*",
        "autovacuum", "run* out of ~ id*", "ran out of ~ number*", "run* out of ~ number*",
        "exhaust* ~ id*", "headroom", "int overflow", "signed integer", "2 31", "4 billion",
        "2 billion",
    )),
    "query_plan": ("query planner / statistics / slow queries after upgrade", 1.6, (
        "query plan*", "planner", "optimizer*", "optimiser*", "statistic*", "analyze",
        "full scan*", "table scan*", "sequential scan*", "execution plan*", "slow quer*",
        "missing index*", "row estimate*", "cardinality", "index ~ missing",
        "engine ~ upgrade*", "major version ~ upgrade*", "upgrade* ~ database",
        "database ~ upgrade*", "version* ~ newer", "two releases", "regression*",
    )),
    "migration": ("schema or data migration", 1.2, (
        "migrat*", "schema change*", "alter table", "ddl", "backfill*", "data migration",
        "index ~ build*", "add* ~ column*",
    )),
    "lock_contention": ("locks, hangs and contention", 1.4, (
        "lock*", "mutex*", "deadlock*", "contention", "hang*", "hung", "wedg*", "stall*",
        "stuck", "frozen", "froze", "freeze", "blocked", "block* on", "starv*",
        "priority inversion", "semaphore*", "latch*", "spinlock*", "not respond*",
        "unresponsive", "didn t respond", "did not respond", "catalog*", "catalogue*",
        "metadata lock*", "soft lockup*", "softlock*", "cpu lockup*",
    )),
    "audit_plugin": ("database extension / plugin", 1.3, (
        "plugin*", "plug in", "extension*", "audit*", "add on", "addon*", "module*",
    )),
    # --- capacity and overload -----------------------------------------------------------
    "capacity_limit": ("capacity, quota or hard limit reached", 1.2, (
        "quota*", "limit*", "capacity", "hard limit*", "cap", "capped", "caps",
        "ceiling", "maximum", "max", "too many", "exhaust*", "run* out of", "ran out of",
        "resource limit*", "file descriptor*", "open files", "ulimit", "nofile",
        "max connection*", "connection limit*", "connection pool*", "pool ~ exhaust*",
        "headroom", "fixed amount", "fixed size", "size limit*", "preallocat*",
        "pre-allocat*", "grew beyond", "larger than expected", "bigger than expected",
        "doubl* ~ size", "twice ~ size", "exceed*", "too large", "too big", "clamp*",
        "threshold*", "at capacity", "insufficient capacity", "scarce",
    )),
    "scaling": ("autoscaling, traffic surge and capacity planning", 1.1, (
        "autoscal*", "auto scal*", "scale up", "scale out", "scaled up", "scaling",
        "scale* ~ fleet", "add* ~ capacity", "capacity add*", "capacity planning",
        "new instance*", "provision*", "spare capacity", "surge*", "spike*",
        "flash crowd", "tv ad*", "advert*", "marketing", "campaign", "launch*", "peak*",
        "black friday", "cyber monday", "viral", "traffic ~ increase*", "traffic ~ grow*",
        "traffic ~ multipl*", "multipl* ~ visitor*", "load spike*", "busy hour*",
        "rush", "holiday*", "idle", "under-provision*", "underprovision*",
        "scheduler ~ refus*", "refus* ~ place", "placement",
    )),
    "rate_limit": ("rate limiting and throttling", 1.5, (
        "rate limit*", "ratelimit*", "rate-limit*", "throttl*", "429", "too many request*",
        "request cap", "request limit*", "api limit*", "backpressure", "back pressure",
        "load shed*", "shed* load", "shed* traffic", "admission control", "quota* ~ request*",
        "cap ~ request*", "requests per second", "rps",
    )),
    "retry_storm": ("retry storm / thundering herd / reconnect flood", 1.7, (
        "retry*", "retries", "retri*", "retry storm*", "thundering herd", "herd",
        "reconnect*", "re-connect*", "all client* ~ once", "everyone ~ once", "at once",
        "at the same time", "stampede*", "backoff", "back off", "exponential",
        "jitter", "synchroniz*", "synchronis*", "reopen*", "re-open*", "fresh session*",
        "new connection*", "connection storm*", "connection flood*", "flood*",
        "amplif*", "aggressive*", "hammer*", "dogpil*", "storm*", "login storm",
        "client* ~ reconnect*", "every client",
    )),
    "overload": ("cascading overload / saturation", 1.1, (
        "cascad*", "overload*", "over load*", "saturat*", "swamp*", "overwhelm*",
        "knock on", "knock-on", "domino*", "ripple*", "snowball*", "congest*",
        "pile* up", "piled up", "backlog*", "load ~ spike*", "too much load", "choke*",
        "chok*", "melt*", "death spiral", "positive feedback", "feedback loop",
        "brownout", "contagio*", "overrun", "max* out", "maxed", "pinned", "pegged",
        "bottleneck*", "hot spot*", "hotspot*", "hot shard*", "hottest", "queue* up",
    )),
    "cache": ("cache behaviour (miss, stampede, TTL, warm-up)", 1.4, (
        "cache*", "caching", "cach", "memcache*", "memcached", "redis", "varnish",
        "cold cache", "cache miss*", "warm up", "warm-up", "warmup", "evict*",
        "in memory", "invalidat*", "refill*", "hit rate", "hit ratio", "stay in memory",
        "ttl", "time to live", "cache ~ flush*", "read through", "reload*",
    )),
    "memory": ("memory exhaustion / leak", 1.4, (
        "memory", "out of memory", "oom*", "oom killer", "heap", "memory leak*",
        "leak* ~ memory", "connection leak*", "leak*", "garbage collect*", "gc pause*",
        "memory usage", "memory pressure", "ram", "swap*", "preallocat* ~ memory",
        "memory limit*", "buffer*",
    )),
    "cpu": ("CPU exhaustion", 1.3, (
        "cpu*", "processor*", "100 percent", "100%", "pegged", "pinned", "core* ~ busy",
        "high load", "load average", "cpu usage", "compute ~ exhaust*", "cycles",
        "busy loop", "spin*", "hot loop", "softlock*",
    )),
    "regex": ("regular expression backtracking", 2.2, (
        "regex*", "regexp*", "regular expression*", "backtrack*", "nested quantifier*",
        "quantifier*", "catastrophic backtracking", "redos", "pattern ~ match*",
        "matching time", "match* ~ limit*", "waf", "web application firewall",
        "managed rule*", "detection rule*", "detection signature*", "signature*",
    )),
    "disk_full": ("disk full / storage exhausted", 1.6, (
        "disk full", "disk space", "out of disk", "no space left", "filled up", "fill* up",
        "disk usage", "storage full", "volume full", "inode*", "log* ~ fill*",
        "disk* ~ fill*", "full disk*", "partition ~ full", "ran out of ~ space",
        "out of space", "free space", "log rotation", "logrotate",
    )),
    "storage": ("disks and storage systems", 1.1, (
        "disk*", "drive*", "ssd*", "hdd", "raid", "storage*", "ebs", "volume*",
        "block storage", "storage array*", "san", "nas", "filesystem*", "file system*",
        "s3", "object storage", "object store", "blob*", "bucket*", "local disk*",
        "storage controller*", "io", "i o", "iops", "write* ~ block*",
    )),
    "power": ("power, cooling and facilities", 1.6, (
        "power", "power outage*", "power loss", "power failure*", "power cut*", "utility",
        "generator*", "ups ~ batter*", "batter*", "uninterruptible", "electrical",
        "electric*", "voltage", "brownout", "cooling", "hvac", "overheat*", "temperature*",
        "thermal", "chiller*", "lightning", "fire", "flood ~ data center*", "storm",
        "grid", "blackout", "transmission line*", "substation*", "pdu", "breaker*",
        "facility", "facilities", "dip", "sag", "surge ~ power",
    )),
    "hardware": ("hardware fault", 1.2, (
        "hardware", "firmware", "nic", "network card*", "memory module*", "bit flip*",
        "line card*", "faulty", "defective", "controller*", "motherboard*", "psu",
        "server* ~ fail*", "machine* ~ fail*", "host* ~ fail*", "reboot*", "rebooted",
        "power cycl*", "bios", "chip*", "board", "sensor*", "device*", "equipment",
        "rack*", "physical",
    )),
    "datacenter": ("data center / region / availability zone", 1.0, (
        "data center*", "datacenter*", "data centre*", "availability zone*", "az",
        "region*", "regional", "us east", "us-east", "zone*", "multi region", "multi az",
        "site*", "facility", "hall", "colo*", "pop*",
    )),
    # --- platforms ------------------------------------------------------------------------
    "kubernetes": ("containers and orchestration", 1.3, (
        "kubernetes", "k8s", "pod", "pods", "container*", "orchestrat*", "scheduler*",
        "node pool*", "kubelet", "cni", "network plugin*", "pod network*", "label*",
        "taint*", "daemonset*", "control plane", "docker", "runc", "container runtime",
        "helm", "nomad", "mesos", "cluster ~ upgrade*", "node* ~ join*",
    )),
    "os_kernel": ("operating system, kernel and process limits", 1.3, (
        "kernel*", "systemd", "init system", "ulimit", "sysctl", "file descriptor*",
        "open files", "nofile", "os ~ patch*", "operating system*", "kernel ~ bug*",
        "kernel panic*", "runc", "container runtime", "linux", "system wide", "system-wide",
        "service unit", "unit file", "limit ~ clamp*",
    )),
    "ci_build": ("CI / build pipeline / artifacts", 1.3, (
        "ci", "cd", "continuous integration", "continuous deploy*", "pipeline*", "build*",
        "artifact*", "base image*", "container image*", "image* ~ pull*", "pull* ~ image*",
        "jenkins", "runner*", "package* ~ fetch*", "registry", "registries", "mirror*",
        "docker hub", "container hub", "public hub", "npm", "pypi", "maven", "dependency ~ download*",
    )),
    "dependency": ("third-party or upstream dependency failure", 1.3, (
        "third party", "third-party", "3rd party", "vendor*", "upstream provider*",
        "external ~ dependenc*", "dependenc*", "depend*", "cloud provider*",
        "another provider", "other provider*", "provider* ~ outage*", "saas", "supplier*",
        "partner*", "single point of failure", "spof", "hard dependenc*", "outside ~ service*",
        "external ~ service*", "another cloud", "other cloud", "public ~ hub",
        "provider*", "upstream ~ outage*", "startup ~ depend*", "start up ~ insist*",
        "insist* ~ reach*", "circular dependenc*", "bootstrap*",
    )),
    "compat": ("backward compatibility / version skew", 1.5, (
        "backward* compat*", "compatib*", "incompatib*", "old client*", "older client*",
        "older version*", "old version*", "version skew", "older build*", "old build*",
        "old release*", "last year* ~ release*", "legacy", "unknown ~ value*",
        "unknown ~ enum*", "unknown ~ type*", "new ~ field*", "new ~ categor*",
        "deserializ*", "serializ*", "pars* ~ error*", "pars* ~ fail*", "protocol version*",
        "mixed version*", "renam*", "format ~ chang*", "api ~ chang*", "breaking change*",
        "contract", "couldn t map", "could not map", "mismatch*",
    )),
    "crash": ("crash / panic / restart loop", 1.0, (
        "crash*", "panic*", "segfault*", "segmentation fault", "null pointer*", "nil pointer",
        "exception*", "abort*", "core dump*", "assert*", "unhandled", "restart loop*",
        "crash loop*", "crashloop*", "reboot loop*", "watchdog*", "bug", "bugs", "defect*",
        "software bug*", "fatal", "exit*", "died", "killed",
    )),
    "data_integrity": ("corrupted, duplicated or wrong data", 1.2, (
        "corrupt*", "data integrity", "wrong data", "incorrect data", "bad data",
        "invalid data", "malformed", "garbage", "silent*", "duplicat*", "twice", "double*",
        "data quality", "inconsistent data", "bad input", "invalid input", "incorrect*",
        "wrong", "erroneous", "bad version", "bad file*", "bad ~ generat*",
        "generated ~ file*", "emit* ~ twice",
    )),
    "calc_logic": ("business logic / calculation error", 1.3, (
        "miscalculat*", "calculation*", "calculat*", "rounding", "pricing", "price*",
        "billing", "overcharg*", "undercharg*", "premium*", "quote*", "misclassif*",
        "classif*", "bucket* ~ as", "categori*", "default value*", "wrong ~ value*",
        "formula*", "unit* ~ conversion", "model ~ risk", "insurance", "underwrit*",
        "tax*", "invoice*", "interest",
    )),
    "observability": ("monitoring gap / no alert / misleading metrics", 1.2, (
        "monitor*", "alert*", "alarm*", "dashboard*", "metric*", "observab*", "visibility",
        "blind spot*", "no alert*", "didn t alert", "did not alert", "undetected",
        "unnoticed", "went unnoticed", "nobody noticed", "no one noticed", "frozen value",
        "telemetry", "graph*", "pager*", "on call", "on-call", "detect*", "noticed",
        "health metric*", "insufficient metric*", "misleading",
    )),
    "logging": ("logging volume / debug logging", 1.5, (
        "log", "logs", "logging", "logger*", "debug ~ log*", "verbose*", "log level*",
        "log ~ write*", "log volume", "syslog", "trace logging", "debug level",
        "debug-level", "debug mode", "log ~ disk*",
    )),
    "queue": ("queues, async jobs and workers", 1.2, (
        "queue*", "queu*", "backlog*", "kafka", "message broker*", "broker*", "rabbitmq",
        "sqs", "pubsub", "pub sub", "job queue*", "worker*", "asynchron*", "async",
        "task ~ process*", "batch job*", "background job*", "background ~ task*",
        "consumer*", "producer*", "message*", "event* ~ stream*",
    )),
    "latency": ("latency, slowness and timeouts", 0.8, (
        "latency", "latencies", "slow*", "timeout*", "time out*", "timed out", "timing out",
        "response time*", "degrad*", "sluggish", "lag", "delay*", "hang*",
    )),
    "testing_gap": ("staging/test did not reveal it", 1.1, (
        "staging", "pre prod", "preprod", "pre-prod", "pre production", "test environment*",
        "untested", "not tested", "without testing", "no test*", "test coverage",
        "didn t catch", "did not catch", "canary", "looked fine", "passed ~ test*",
        "test* ~ pass*", "integration test*", "load test*", "game day*", "chaos",
        "clock moved forward", "nothing had tested", "never tested",
    )),
    "connection": ("connections and sessions", 1.0, (
        "connection*", "connect*", "session*", "socket*", "websocket*", "keepalive*",
        "keep alive", "long lived", "long-lived", "tcp", "persistent connection*",
    )),
    "api_errors": ("error responses (5xx/4xx)", 0.7, (
        "5xx", "500", "502", "503", "504", "error rate*", "http error*", "server error*",
        "internal server error", "bad gateway", "service unavailable", "errors",
    )),
    "rpc_mesh": ("service-to-service calls / service mesh", 1.1, (
        "rpc", "grpc", "service mesh", "mesh", "sidecar*", "internal call*",
        "service to service", "service-to-service", "microservice*", "internal api*",
        "internal service*", "control plane", "control-plane", "data plane",
    )),
}


@dataclass(frozen=True)
class _Term:
    text: str
    prefix: bool


@dataclass(frozen=True)
class _Pattern:
    concept: str
    groups: tuple[tuple[_Term, ...], ...]


def _compile_term(raw: str) -> _Term:
    if raw.endswith("*"):
        body = raw[:-1]
        # Stem the prefix the way words are stemmed, but never make it longer.
        s = stem(body)
        return _Term(s if len(s) <= len(body) and body.startswith(s) else body, True)
    return _Term(stem(raw), False)


def _compile() -> tuple[list[_Pattern], dict[str, set[_Term]], dict[str, set[_Term]]]:
    patterns: list[_Pattern] = []
    exact: dict[str, set[_Term]] = {}
    prefixes: dict[str, set[_Term]] = {}
    for concept, (_label, _weight, raws) in LEXICON.items():
        for raw in raws:
            groups = []
            for part in raw.split("~"):
                # words() splits on punctuation exactly as documents are split.
                terms = []
                for chunk in part.split():
                    is_prefix = chunk.endswith("*")
                    ws = words(chunk)
                    for i, w in enumerate(ws):
                        suffix = "*" if is_prefix and i == len(ws) - 1 else ""
                        terms.append(_compile_term(w + suffix))
                if terms:
                    groups.append(tuple(terms))
            if not groups:
                continue
            patterns.append(_Pattern(concept, tuple(groups)))
            for g in groups:
                for t in g:
                    (prefixes if t.prefix else exact).setdefault(t.text, set()).add(t)
    return patterns, exact, prefixes


_PATTERNS, _EXACT, _PREFIXES = _compile()
_PREFIX_LENGTHS = sorted({len(p) for p in _PREFIXES})
# Pattern indexes keyed by their first term: only patterns whose first term occurs in a
# text are examined, which keeps indexing fast on large documents.
_BY_FIRST_TERM: dict[_Term, list[int]] = {}
for _i, _p in enumerate(_PATTERNS):
    _BY_FIRST_TERM.setdefault(_p.groups[0][0], []).append(_i)


def _term_positions(stems: list[str]) -> dict[_Term, list[int]]:
    """Positions of every lexicon term present in the stemmed text."""
    by_token: dict[str, list[int]] = {}
    for i, s in enumerate(stems):
        by_token.setdefault(s, []).append(i)
    found: dict[_Term, list[int]] = {}
    for tok, pos in by_token.items():
        for t in _EXACT.get(tok, ()):
            found.setdefault(t, []).extend(pos)
        for n in _PREFIX_LENGTHS:
            if n > len(tok):
                break
            for t in _PREFIXES.get(tok[:n], ()):
                found.setdefault(t, []).extend(pos)
    return found


def _group_starts(group: tuple[_Term, ...], found: dict[_Term, list[int]]) -> list[int]:
    first = found.get(group[0])
    if not first:
        return []
    if len(group) == 1:
        return first
    rest = [set(found.get(t, ())) for t in group[1:]]
    if not all(rest):
        return []
    return [p for p in first if all(p + i + 1 in r for i, r in enumerate(rest))]


def concept_counts(text: str) -> Counter[str]:
    """How many times each concept's patterns matched in ``text``."""
    stems = [stem(w) for w in words(text)]
    if not stems:
        return Counter()
    found = _term_positions(stems)
    counts: Counter[str] = Counter()
    if not found:
        return counts
    candidates: set[int] = set()
    for t in found:
        candidates.update(_BY_FIRST_TERM.get(t, ()))
    for idx in sorted(candidates):
        pat = _PATTERNS[idx]
        if any(t not in found for g in pat.groups for t in g):
            continue
        starts = [_group_starts(g, found) for g in pat.groups]
        if not all(starts):
            continue
        if len(starts) == 1:
            counts[pat.concept] += len(starts[0])
            continue
        hits = 0
        for p in starts[0]:
            if all(any(abs(p - q) <= WINDOW for q in other) for other in starts[1:]):
                hits += 1
        if hits:
            counts[pat.concept] += hits
    return counts


def concepts_for(text: str) -> list[str]:
    """Concept ids found in ``text``, most-matched first (ties by lexicon order)."""
    counts = concept_counts(text)
    order = {c: i for i, c in enumerate(LEXICON)}
    return sorted(counts, key=lambda c: (-counts[c], order[c]))


def label(concept: str) -> str:
    """Human label for a concept id ("certificate expiry" style)."""
    return LEXICON[concept][0]


def weight(concept: str) -> float:
    """Prior specificity of a concept (used with its document frequency when ranking)."""
    return LEXICON[concept][1]


CONCEPT_TOKEN_PREFIX = "zq"


def token_for(concept: str) -> str:
    """The single full-text token that stands for a concept in the index.

    Letters only (no underscore, which FTS5 and PostgreSQL treat as a separator), with a
    prefix no English word has, and ending in a letter that neither Porter nor Snowball
    strips, so the token survives both engines' stemmers unchanged.
    """
    return CONCEPT_TOKEN_PREFIX + concept.replace("_", "") + "zq"


_BY_TOKEN = {token_for(c): c for c in LEXICON}


def concept_for_token(token: str) -> str | None:
    """Inverse of :func:`token_for` (None for anything else)."""
    return _BY_TOKEN.get(token)
