build-dev/offline/import.o: offline/import.c offline/store.h app/coupon.h \
 app/money.h app/idnum.h app/money.h
offline/store.h:
app/coupon.h:
app/money.h:
app/idnum.h:
app/money.h:
