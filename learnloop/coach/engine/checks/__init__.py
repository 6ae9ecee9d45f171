"""The checks a rule runs on its match (each a ``Check``: sentence, match -> bool), one module
per question: is the cue negated or a rejected label (``negation``), who it is about
(``people``), is an omission told with the condition that explains it (``conditions``), is it
hindsight about a person's act (``hindsight``), does a judgment word aim at a thing
(``judgments``), is a question rhetorical (``questions``), is a sanction aimed at a person
(``sanctions``).
"""
