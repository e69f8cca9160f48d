FROM rockylinux:9
RUN dnf install -y python3
RUN yum install httpd
RUN microdnf install nginx
