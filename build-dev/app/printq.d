build-dev/app/printq.o: app/printq.c app/printq.h drivers/printer.h
app/printq.h:
drivers/printer.h:
