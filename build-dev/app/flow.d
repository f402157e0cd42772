build-dev/app/flow.o: app/flow.c app/flow.h app/coupon.h app/money.h \
 app/i18n.h app/strings.def app/idnum.h offline/store.h app/coupon.h \
 app/idnum.h app/money.h
app/flow.h:
app/coupon.h:
app/money.h:
app/i18n.h:
app/strings.def:
app/idnum.h:
offline/store.h:
app/coupon.h:
app/idnum.h:
app/money.h:
