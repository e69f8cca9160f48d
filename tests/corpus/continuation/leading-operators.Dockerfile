FROM centos:7
RUN yum -y install epel-release \
 && yum -y install nginx \
 && yum clean all \
 && rm -rf /var/cache/yum
RUN true \
    ; echo semicolon first \
    || echo or first \
    | cat
