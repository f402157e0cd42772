# The Debian package of Recaudo (image/README.md): `make deb`. Included by the Makefile.
