# ESCAPE=`
FROM mcr.microsoft.com/windows/servercore:ltsc2019
RUN echo upper-case directive name `
    still a directive
