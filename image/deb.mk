# The Debian package of Recaudo (image/README.md "The package"): `make deb` builds
# build/recaudo_<VERSION>_<ARCH>.deb with dpkg-deb from the build. Included by the Makefile.
# The binary is stripped and its Depends computed by dpkg-shlibdeps once per binary (kept in
# $(BUILD)/deb/); the package itself is assembled again only when one of its files changed.
.PHONY: deb
DEB_VERSION := $(shell sed -n 's/^\#define RECAUDO_VERSION "\(.*\)"$$/\1/p' app/config.h)
DEB_ARCH    := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB         := $(BUILD)/recaudo_$(DEB_VERSION)_$(DEB_ARCH).deb
DEB_DIR     := $(BUILD)/deb
DEB_INPUTS  := image/deb/mkdeb.sh image/deb/postinst image/deb/prerm image/deb/postrm \
               image/deb/copyright image/recaudo.ini image/systemd/recaudo.service \
               image/systemd/recaudo-health.service image/sysusers.d/recaudo.conf \
               image/tmpfiles.d/recaudo.conf image/health-gate image/update image/README.md \
               image/media image/systemd/recaudo-media.socket image/systemd/recaudo-media@.service \
               image/update-helper image/systemd/recaudo-update.socket image/systemd/recaudo-update@.service \
               assets/logo.png assets/demo/portfolio.json app/config.h image/deb.mk

deb: $(DEB)

$(DEB): $(DEB_DIR)/recaudo $(DEB_DIR)/shlibs $(DEB_INPUTS)
	@sh image/deb/mkdeb.sh $@ $(DEB_DIR)/recaudo $(DEB_DIR)/shlibs $(DEB_VERSION) $(DEB_ARCH)

$(DEB_DIR)/recaudo: $(BIN)
	@mkdir -p $(dir $@)
	strip --strip-unneeded -o $@ $<

# dpkg-shlibdeps wants a source package around the binary (debian/control, and the binary in
# its package's tree, the one with a DEBIAN/): a minimal one in $(DEB_DIR)/shl
$(DEB_DIR)/shlibs: $(DEB_DIR)/recaudo
	@rm -rf $(DEB_DIR)/shl && mkdir -p $(DEB_DIR)/shl/debian/recaudo/usr/bin $(DEB_DIR)/shl/debian/recaudo/DEBIAN
	@printf 'Source: recaudo\n\nPackage: recaudo\nArchitecture: any\n' >$(DEB_DIR)/shl/debian/control
	@cp $< $(DEB_DIR)/shl/debian/recaudo/usr/bin/recaudo
	@cd $(DEB_DIR)/shl && dpkg-shlibdeps -O debian/recaudo/usr/bin/recaudo >../shlibs.part
	@mv $(DEB_DIR)/shlibs.part $@ && rm -rf $(DEB_DIR)/shl
