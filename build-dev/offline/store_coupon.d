build-dev/offline/store_coupon.o: offline/store_coupon.c \
 offline/store_internal.h offline/store.h app/coupon.h app/money.h \
 app/idnum.h app/money.h
offline/store_internal.h:
offline/store.h:
app/coupon.h:
app/money.h:
app/idnum.h:
app/money.h:
