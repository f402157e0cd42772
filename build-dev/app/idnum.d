build-dev/app/idnum.o: app/idnum.c app/idnum.h
app/idnum.h:
