FROM opensuse/leap:15.6
RUN zypper install curl
RUN zypper dist-upgrade
