FROM rockylinux:9
RUN dnf module enable -y nodejs:20 \
 && dnf install -y nodejs \
 && dnf clean all
RUN rpm --import https://example.com/RPM-GPG-KEY && rpm -ivh https://example.com/pkg-1.0-1.x86_64.rpm
