build-dev/app/receipt.o: app/receipt.c app/receipt.h app/coupon.h \
 app/money.h drivers/escpos.h app/i18n.h app/strings.def offline/store.h \
 app/coupon.h app/idnum.h app/money.h
app/receipt.h:
app/coupon.h:
app/money.h:
drivers/escpos.h:
app/i18n.h:
app/strings.def:
offline/store.h:
app/coupon.h:
app/idnum.h:
app/money.h:
