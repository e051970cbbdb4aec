from fiscalcheck.cli import entry

entry()
