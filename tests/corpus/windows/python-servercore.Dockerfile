# escape=`
ARG WINDOWS_VERSION=ltsc2022
FROM mcr.microsoft.com/windows/servercore:${WINDOWS_VERSION}

SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]

ENV PYTHON_VERSION=3.12.4 `
    PYTHONIOENCODING=UTF-8

RUN $url = ('https://www.python.org/ftp/python/{0}/python-{0}-amd64.exe' -f $env:PYTHON_VERSION); `
    Write-Host ('Fetching {0}' -f $url); `
    Invoke-WebRequest -Uri $url -OutFile 'python-installer.exe'; `
    $proc = Start-Process python-installer.exe -Wait -NoNewWindow -PassThru `
        -ArgumentList @('/quiet', 'InstallAllUsers=1', 'TargetDir=C:\Python', 'PrependPath=1', 'Include_test=0'); `
    if ($proc.ExitCode -ne 0) { throw ('installer exit code {0}' -f $proc.ExitCode) }; `
    Remove-Item python-installer.exe -Force; `
    python --version

RUN python -m pip install --no-cache-dir --upgrade pip

WORKDIR C:\app
COPY requirements.txt .
RUN python -m pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
