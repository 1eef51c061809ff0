"""Detection: explain every access, run the scenarios, score, and produce alerts."""
