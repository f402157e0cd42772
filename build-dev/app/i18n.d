build-dev/app/i18n.o: app/i18n.c app/i18n.h app/strings.def
app/i18n.h:
app/strings.def:
