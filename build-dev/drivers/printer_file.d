build-dev/drivers/printer_file.o: drivers/printer_file.c \
 drivers/printer.h
drivers/printer.h:
