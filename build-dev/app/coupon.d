build-dev/app/coupon.o: app/coupon.c app/coupon.h app/money.h
app/coupon.h:
app/money.h:
