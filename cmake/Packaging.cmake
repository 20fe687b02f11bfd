# The Debian package: `cpack --config <build>/CPackConfig.cmake` after a build.
# dpkg-shlibdeps (dpkg-dev) reads the installed binaries and declares the Qt, protobuf,
# cmark-gfm and sqlite libraries they link; Depends below lists only what it cannot see.

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "paperlab")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "PaperLab")
set(CPACK_PACKAGE_CONTACT "PaperLab maintainers <paperlab@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Desktop reader's catalog of LLM-efficiency papers")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION_SUMMARY}
 PaperLab indexes EfficientPaper prototxt records, Markdown paper lists and BibTeX
 in SQLite/FTS5 and shows them in a Qt Widgets app with notes and a kernel
 playground. It ships a bundled library of papers, copied into the user's data
 folder on the first run, a command line tool (paperlab-cli) and the kernel
 runner the playground starts out of process.")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://example.org/paperlab")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")   # paperlab_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded as plugins, so invisible to dpkg-shlibdeps: the SVG icon engine (the window and
# desktop icon) and fonts for text drawn offscreen (screenshots, slide exports).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6svg6, fonts-dejavu-core")
# Native Wayland sessions (else XWayland through xcb), and the Chinese glyphs slide
# exports prefer (app/export/slidefonts.cpp); both work without, only less well.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, fonts-noto-cjk")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")

include(CPack)
