"""From a printed report to figures with places, and a draft case (PDF: :mod:`fiscalcheck.extract.pdf`)."""
