FROM registry.opensuse.org/opensuse/bci/python:3.11
RUN zypper -n install --no-recommends gcc python311-devel && zypper -n clean
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py .
USER 1000
CMD ["python3", "app.py"]
