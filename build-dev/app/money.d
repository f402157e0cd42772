build-dev/app/money.o: app/money.c app/money.h
app/money.h:
