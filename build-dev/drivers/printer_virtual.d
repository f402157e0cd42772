build-dev/drivers/printer_virtual.o: drivers/printer_virtual.c \
 drivers/printer.h drivers/escpos_render.h
drivers/printer.h:
drivers/escpos_render.h:
