"""The plans module's pages, one file per feature: the public plan page (public), the staff's
plans (plans) and the parts of their trees (parts), a goal's indicators (indicators), the action
plan (actions), the municipal library plan register (municipal) and the annual dialogues
(dialogues). Staff pages are for the agency's own team (`@staff_required` plus access.py: 404
when the object does not exist, 403 when it is another agency's). Every change is a service call
(services/)."""
