"""Certificates of participation and completion: eligibility, issuing, revoking, the PDF and its public check."""
