# escape=`
FROM mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022

SHELL ["powershell", "-Command"]

RUN Install-WindowsFeature Web-Asp-Net45; `
    Remove-Website -Name 'Default Web Site'; `
    New-Website -Name 'app' -Port 80 -PhysicalPath 'C:\inetpub\app'

COPY site/ C:/inetpub/app/
EXPOSE 80
HEALTHCHECK --interval=30s --timeout=5s `
  CMD powershell -Command "try { (Invoke-WebRequest http://localhost -UseBasicParsing).StatusCode -eq 200 } catch { exit 1 }"
ENTRYPOINT ["C:\\ServiceMonitor.exe", "w3svc"]
