"""Personal data breaches (*datalekken*): from confirmed misuse to a notification.

An employee's look-up without a work reason is a breach although the account had the rights
(``BREACH.md`` §2). This package holds the pure building blocks of handling one: the ENISA
severity score (``severity``) and the 72-hour clock of Art. 33 GDPR (``deadline``). They do
no I/O, so the web app, the CLI, reports and tests share one definition of each rule.
"""
