# escape=`

FROM mcr.microsoft.com/windows/servercore:ltsc2022

SHELL ["powershell", "-NoLogo", "-NoProfile", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]

ENV TOOLS_DIR=C:\tools

RUN New-Item -ItemType Directory -Path $env:TOOLS_DIR | Out-Null; `
    Invoke-WebRequest -Uri https://example.invalid/jq-win64.exe -OutFile (Join-Path $env:TOOLS_DIR 'jq.exe'); `
    $path = [Environment]::GetEnvironmentVariable('PATH', 'Machine'); `
    [Environment]::SetEnvironmentVariable('PATH', $path + ';' + $env:TOOLS_DIR, 'Machine')

WORKDIR C:\app
COPY . .
CMD ["powershell", "-File", "C:\\app\\start.ps1"]
