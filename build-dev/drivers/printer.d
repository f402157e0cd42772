build-dev/drivers/printer.o: drivers/printer.c drivers/printer.h
drivers/printer.h:
