build-dev/app/config.o: app/config.c app/config.h app/coupon.h \
 app/money.h
app/config.h:
app/coupon.h:
app/money.h:
