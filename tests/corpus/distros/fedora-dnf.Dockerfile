FROM fedora:40
RUN dnf -y update && dnf -y install gcc make python3-devel && dnf clean all
RUN dnf install -y --setopt=tsflags=nodocs httpd
RUN dnf -y groupinstall "Development Tools"
CMD ["httpd", "-DFOREGROUND"]
