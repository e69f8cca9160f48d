# syntax=docker/dockerfile:1
# escape=`
FROM mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022
SHELL ["pwsh", "-NoLogo", "-Command"]
RUN Write-Output 'syntax then escape'; `
    Get-ChildItem Env: | Sort-Object Name
