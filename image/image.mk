# The kiosk image (image/README.md): `make image`, `make bundle`, `make image-test` (as root;
# not part of `make test`). Included by the Makefile.
IMAGE_DEBS := mmdebstrap squashfs-tools dosfstools mtools e2fsprogs gdisk grub-efi-amd64-bin \
              grub-common rauc openssl
IMAGE_TEST_DEBS := qemu-system-x86 qemu-utils ovmf tesseract-ocr python3
IMAGE_OUT ?= $(BUILD)/image
BUNDLE_VERSION ?=
.PHONY: image bundle image-test

# the newest package `make deb` made
IMAGE_DEB = $$(ls -t $(BUILD)/recaudo_*_amd64.deb | head -n 1)

image:
	@sh tools/deps.sh $(DEBS) $(IMAGE_DEBS)
	@$(MAKE) --no-print-directory deb
	@sh image/build.sh "$(IMAGE_DEB)" $(IMAGE_OUT)

# A signed bundle of the image's root slot: make bundle BUNDLE_VERSION=1.1.0 (after make image)
bundle:
	@sh tools/deps.sh $(IMAGE_DEBS)
	@[ -n "$(BUNDLE_VERSION)" ] || { echo "bundle: say which version: make bundle BUNDLE_VERSION=X.Y.Z"; exit 1; }
	@sh image/bundle.sh $(IMAGE_OUT)/rootfs $(BUNDLE_VERSION) $(IMAGE_OUT)/recaudo-$(BUNDLE_VERSION).raucb

# The image booted in QEMU (TCG, OVMF): ready, crash, update and rollback, lockdown.
image-test:
	@sh tools/deps.sh $(DEBS) $(IMAGE_DEBS) $(IMAGE_TEST_DEBS)
	@$(MAKE) --no-print-directory deb
	@IMAGE_VARIANT=test BUNDLE_VERSION=1.0.0 sh image/build.sh "$(IMAGE_DEB)" $(BUILD)/image-test
	@python3 image/test/image_test.py $(BUILD)/image-test
