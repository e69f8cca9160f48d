FROM opensuse/leap:15.6
RUN zypper refresh && zypper install -y python311 python311-pip
RUN zypper --non-interactive install --no-recommends curl gzip tar \
 && zypper clean --all
RUN zypper -n in -y git && zypper -n clean -a
CMD ["python3.11"]
