# A date as it reads in an English sentence on the pages: "17 February 2025" (Django's is "Feb. 17, 2025").
DATE_FORMAT = "j F Y"
