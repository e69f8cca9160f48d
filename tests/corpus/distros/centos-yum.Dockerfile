FROM centos:7
RUN yum -y update
RUN yum -y install epel-release && yum -y install supervisor nginx
RUN yum install -y python3 && yum clean all && rm -rf /var/cache/yum
COPY supervisord.conf /etc/supervisord.conf
CMD ["/usr/bin/supervisord", "-n", "-c", "/etc/supervisord.conf"]
