build-dev/drivers/escpos.o: drivers/escpos.c drivers/escpos.h
drivers/escpos.h:
