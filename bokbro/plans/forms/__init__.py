"""Forms of the plans module, one file per feature: the agency's plans and their trees
(plans), municipal library plans (municipal) and annual dialogues (dialogues). They validate
input; the services in `services/` write."""
