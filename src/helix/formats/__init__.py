"""Date, time and number formats where Django's locale formats do not suit the cluster's readers
(``FORMAT_MODULE_PATH``): one sub-package per language. Only English is overridden; Dutch, French and
German keep Django's own, which already write the day first and 24 h times."""
