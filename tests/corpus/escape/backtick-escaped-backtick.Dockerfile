# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
# a doubled backtick at line end is not a continuation in PowerShell terms,
# but for the Dockerfile the final backtick still continues the line
RUN Write-Host "tick: ``" ; `
    Write-Host done
ENV QUOTE="has `"quotes`" inside"
LABEL description="multi `
 line label"
