# The kiosk image (image/README.md): `make image`, `make bundle`, `make image-test` (as root;
# not part of `make test`). Included by the Makefile.
