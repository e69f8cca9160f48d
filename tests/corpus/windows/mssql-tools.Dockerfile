# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
LABEL maintainer="platform-team@example.com" `
      org.opencontainers.image.title="sql tools" `
      org.opencontainers.image.version="2024.1"
ARG SA_PASSWORD
ENV SA_PASSWORD=$SA_PASSWORD `
    ACCEPT_EULA=Y
VOLUME C:\data
EXPOSE 1433/tcp
COPY start.ps1 C:\
STOPSIGNAL SIGTERM
CMD powershell -File C:\start.ps1 -sa_password $env:SA_PASSWORD -Verbose
