"""The advisory log for the agency's staff: consultations, follow-ups, topics and visit tours.

Every page here is for the agency's own staff (`@staff_required` plus the access helpers);
library managers read their library's consultation summaries on the library profile. Every
change is a service call (services.py). One module per feature: consultations, follow_ups,
topics, tours.
"""
