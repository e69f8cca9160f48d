# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2019

SHELL ["powershell.exe", "-ExecutionPolicy", "Bypass", "-Command"]

RUN Set-ExecutionPolicy Bypass -Scope Process -Force; `
    [System.Net.ServicePointManager]::SecurityProtocol = 3072; `
    iex ((New-Object System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1'))

RUN choco install -y git nodejs-lts 7zip; `
    Remove-Item -Recurse -Force $env:TEMP\*

# cmd shell for the last steps
SHELL ["cmd", "/S", "/C"]
RUN setx /M PATH "%PATH%;C:\Program Files\Git\bin"
CMD ["cmd.exe"]
